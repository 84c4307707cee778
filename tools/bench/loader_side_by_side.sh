#!/usr/bin/env bash
# Kinema's ClipLoader vs a PyTorch DataLoader with PyAV (torch_loader.py) on the same Kinema-Motion
# folder, the same per-item work and the same worker counts, alternating run by run. Prints one JSON
# line per run; summarise with loader_ratios.py.
#
#   ./kinema synth --out /tmp/kmotion --videos-per-class 10 --seed 0
#   tools/bench/loader_side_by_side.sh /tmp/kmotion [ROUNDS] [BATCHES] > loader.jsonl
#   /usr/bin/python3 tools/bench/loader_ratios.py loader.jsonl
set -euo pipefail
data=${1:?usage: loader_side_by_side.sh DATA_DIR [ROUNDS] [BATCHES]}
rounds=${2:-3}
batches=${3:-30}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
common="--batch 8 --clip-len 16 --stride 2 --size 112 --short-side 128"
"$root/kinema" --version >/dev/null 2>&1 || true
for round in $(seq 1 "$rounds"); do
  for w in 1 2 4; do
    "$root/kinema" bench loader "$data" --workers "$w" --batches "$batches" $common 2>/dev/null \
        | sed "s/^{/{\"tool\":\"kinema\",\"round\":$round,/"
    /usr/bin/python3 "$root/tools/bench/torch_loader.py" "$data" --workers "$w" --batches "$batches" $common 2>/dev/null \
        | sed "s/^{/{\"round\": $round, /"
  done
done
