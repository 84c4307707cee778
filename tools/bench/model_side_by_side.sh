#!/usr/bin/env bash
# Kinema vs torchvision on the same video models, batch, clip and thread count, alternating tool by
# tool for every model and round so that both see the same machine load. Each run times inference
# and a training step (forward, cross-entropy, backward, SGD update). Prints one JSON line per run
# and mode; summarise with model_ratios.py.
#
#   tools/bench/model_side_by_side.sh [ROUNDS] [BATCH] [REPEATS] [MODELS] > runs.jsonl
#   /usr/bin/python3 tools/bench/model_ratios.py runs.jsonl
#
# MODELS is comma-separated (default r3d_18,mc3_18,r2plus1d_18). THREADS (default: nproc) sets
# PyTorch's intra-op threads on both sides; INPUT (default 3x16x112x112) the clip; WARMUP (default 2).
# Errors of the runs are appended to BENCH_LOG (default /dev/null). KINEMA (default: the
# repository's launcher) runs Kinema, e.g. a frozen build while the sources change.
set -euo pipefail
rounds=${1:-3}
batch=${2:-1}
repeats=${3:-5}
models=${4:-r3d_18,mc3_18,r2plus1d_18}
threads=${THREADS:-$(nproc)}
input=${INPUT:-3x16x112x112}
warmup=${WARMUP:-2}
log=${BENCH_LOG:-/dev/null}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kinema=${KINEMA:-$root/kinema}
"$kinema" --version >/dev/null 2>&1 || true   # build once, outside the timing
echo "{\"machine\": {\"nproc\": $(nproc), \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"threads\": $threads}}"
for round in $(seq 1 "$rounds"); do
  for model in ${models//,/ }; do
    kinema_run() {
      "$kinema" bench model --name "$model" --input "$input" --batch "$batch" --train --json \
          --warmup "$warmup" --repeats "$repeats" --threads "$threads" 2>>"$log" \
          | sed "s/^{/{\"tool\":\"kinema\",\"round\":$round,/"
    }
    torch_run() {
      /usr/bin/python3 "$root/tools/bench/torch_model_bench.py" --name "$model" --input "$input" --batch "$batch" \
          --train --warmup "$warmup" --repeats "$repeats" --threads "$threads" 2>>"$log" \
          | sed "s/^{/{\"round\": $round, /"
    }
    # Alternate which tool goes first, so neither always runs on a cooler (or hotter) machine.
    if (( round % 2 == 1 )); then kinema_run; torch_run; else torch_run; kinema_run; fi
  done
done
echo "{\"machine\": {\"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}}"
