#!/usr/bin/env bash
# The machine's float32 matrix-multiply peak as libtorch 2.7.1 (Kinema) and torch 1.13 (Python) reach
# it, alternating the two for every round: the ceiling for the model GFLOP/s that kinema bench model
# and kinema train report. One JSON line per run, with the CPU and the load average first.
#
#   tools/bench/sgemm_side_by_side.sh [ROUNDS] [SIZE] > sgemm.jsonl
#
# THREADS (default: nproc) sets the intra-op threads on both sides.
set -euo pipefail
rounds=${1:-3}
size=${2:-2048}
threads=${THREADS:-$(nproc)}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/kinema" --version >/dev/null 2>&1 || true   # build once, outside the timing
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
family=$(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
model=$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')
echo "{\"machine\": {\"cpu\": \"$cpu\", \"family\": $family, \"model\": $model, \"nproc\": $(nproc), \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"threads\": $threads}}"
for round in $(seq 1 "$rounds"); do
  kinema_run() {
    "$root/kinema" bench sgemm --size "$size" --threads "$threads" --json | sed "s/^{/{\"tool\":\"kinema\",\"round\":$round,/"
  }
  torch_run() {
    /usr/bin/python3 "$root/tools/bench/torch_sgemm.py" --size "$size" --threads "$threads" | sed "s/^{/{\"round\": $round, /"
  }
  if (( round % 2 == 1 )); then kinema_run; torch_run; else torch_run; kinema_run; fi
done
echo "{\"machine\": {\"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}}"
