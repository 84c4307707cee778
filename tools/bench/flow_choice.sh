#!/usr/bin/env bash
# The two-stream flow choice, measured: for each flow method, the flow cache of a Kinema-Motion set
# (wall and CPU time), the flow time per frame pair (`kinema bench flow`, 1 OpenCV thread, on one
# test video), and a tiny temporal-stream run trained on that cache with the same seed and recipe,
# evaluated on the test and val splits. One JSON line per method; summarise with flow_choice_table.py.
#
#   tools/bench/flow_choice.sh OUT [METHODS] > flow-choice.jsonl
#   /usr/bin/python3 tools/bench/flow_choice_table.py flow-choice.jsonl
#
# OUT/motion is rendered first if missing (4 motion classes whose direction only flow tells apart,
# 24 videos each, 48 px, 2 s at 12 fps). KINEMA (default: the repository's launcher) runs Kinema;
# SEED (default 0) seeds the training runs (their directories get a -sSEED suffix unless it is 0).
set -euo pipefail
out=${1:?usage: flow_choice.sh OUT [METHODS]}
methods=${2:-dis-ultrafast,dis-fast,dis-medium,farneback,tvl1}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kinema=${KINEMA:-$root/kinema}
seed=${SEED:-0}
suffix=$([ "$seed" = 0 ] && echo "" || echo "-s$seed")
mkdir -p "$out"
if [ ! -d "$out/motion" ]; then
  "$kinema" synth --out "$out/motion" --videos-per-class 24 --size 48 --seconds 2 --fps 12 --seed 0 --workers 1 \
      --classes slide_left,slide_right,rotate_clockwise,rotate_anticlockwise >&2
fi
probe=$(find "$out/motion/test" -name '*.mp4' | sort | head -1)
for m in ${methods//,/ }; do
  rm -rf "$out/run-$m$suffix"
  if [ ! -d "$out/flow-$m" ]; then
    /usr/bin/time -f "%e %U %S" -o "$out/time-$m.txt" \
        "$kinema" flow "$out/motion" --method "$m" --size 48 --out "$out/flow-$m" --workers 1 > "$out/flow-$m.log" 2>&1
  fi
  read -r wall user sys < <(tail -1 "$out/time-$m.txt")
  fields=$(grep -o '[0-9]* fields written' "$out/flow-$m.log" | cut -d' ' -f1)
  pair=$("$kinema" bench flow "$probe" --method "$m" --size 48 --pairs 20 --warmup 2 --threads 1 2>/dev/null | tail -1)
  "$kinema" train --data "$out/motion" --model temporal-stream --flow-dir "$out/flow-$m" --out "$out/run-$m$suffix" \
      --size 40 --resize 48 --epochs 8 --batch 8 --optimizer adamw --lr 1e-3 --no-flip --seed "$seed" --val-clips 1 \
      --workers 1 > "$out/train-$m.log" 2>&1
  test=$("$kinema" eval --run "$out/run-$m$suffix" --split test --clips 5 --json --workers 1 2>/dev/null | tail -1)
  val=$("$kinema" eval --run "$out/run-$m$suffix" --split val --clips 5 --json --workers 1 2>/dev/null | tail -1)
  echo "{\"method\":\"$m\",\"seed\":$seed,\"fields\":$fields,\"cacheWallSeconds\":$wall,\"cacheCpuSeconds\":$(echo "$user + $sys" | bc),\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"benchFlow\":$pair,\"test\":$test,\"val\":$val}"
done
