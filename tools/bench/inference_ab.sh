#!/usr/bin/env bash
# A/B of one eval-mode switch of `kinema bench model` (--fuse-bn, --two-halves): farm-bench runs A
# (the switch on) and B (off) in turn, RUNS pairs, so that both see the same machine load. Every
# run's JSON line is kept; ab_ratios.py takes the ratio A/B of the in-process medians pair by pair
# (farm-bench's own figures are whole processes, JVM start and model set-up included).
#
#   tools/bench/inference_ab.sh SWITCH [RUNS] [MODELS] [BATCH] [OUT]
#   tools/bench/inference_ab.sh two-halves 5 r3d_18,mc3_18 1 target/bench/ab
#   /usr/bin/python3 tools/bench/ab_ratios.py target/bench/ab-two-halves-*.jsonl
#
# MODELS is comma-separated (default r3d_18,mc3_18,r2plus1d_18); THREADS (default 2) the intra-op
# threads; INPUT (default 3x16x112x112); REPEATS (default 3) timed inferences per run after 1 warm-up.
set -euo pipefail
switch=${1:?"which switch: fuse-bn or two-halves"}
runs=${2:-5}
models=${3:-r3d_18,mc3_18,r2plus1d_18}
batch=${4:-1}
out=${5:-target/bench/ab}
threads=${THREADS:-2}
input=${INPUT:-3x16x112x112}
repeats=${REPEATS:-3}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/kinema" --version >/dev/null 2>&1 || true   # build once, outside the timing
mkdir -p "$(dirname "$out")"
for model in ${models//,/ }; do
  file="$out-$switch-$model.jsonl"
  : > "$file.on"; : > "$file.off"
  run="$root/kinema bench model --name $model --input $input --batch $batch --warmup 1 --repeats $repeats"
  run="$run --threads $threads --json"
  echo "{\"machine\": {\"switch\": \"$switch\", \"model\": \"$model\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}}" > "$file"
  farm-bench -n "$runs" --warmup 0 --timeout 3600 --vs "sh -c 'exec $run --no-$switch >>$file.off 2>/dev/null'" \
      -- sh -c "exec $run --$switch >>$file.on 2>/dev/null" >&2
  sed 's/^{/{"variant":"on",/' "$file.on" >> "$file"
  sed 's/^{/{"variant":"off",/' "$file.off" >> "$file"
  echo "{\"machine\": {\"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}}" >> "$file"
  rm -f "$file.on" "$file.off"
done
