#!/usr/bin/env bash
# Kinema's flow vs OpenCV in Python (opencv_flow.py) on the same frames, methods and parameters,
# alternating run by run so that both see the same machine load. One JSON line per run;
# summarise with flow_ratios.py.
#
#   tools/bench/flow_side_by_side.sh FILE [ROUNDS] [SIZE] [THREADS] > flow.jsonl
#   /usr/bin/python3 tools/bench/flow_ratios.py flow.jsonl
set -euo pipefail
file=${1:?usage: flow_side_by_side.sh FILE [ROUNDS] [SIZE] [THREADS]}
rounds=${2:-3}
size=${3:-128}
threads=${4:-1}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Pairs per method: 0.1 to 3 s of work each at 128 px (vtest.avi has 795 frames).
declare -A pairs=([tvl1]=10 [farneback]=100 [dis-ultrafast]=600 [dis-fast]=600 [dis-medium]=200)
methods=${METHODS:-tvl1 farneback dis-ultrafast dis-fast dis-medium}
"$root/kinema" --version >/dev/null 2>&1 || true   # build once, outside the timing
for round in $(seq 1 "$rounds"); do
  for m in $methods; do
    n=${pairs[$m]}
    "$root/kinema" bench flow "$file" --method "$m" --size "$size" --pairs "$n" --threads "$threads" 2>/dev/null \
        | sed "s/^{/{\"tool\":\"kinema\",\"round\":$round,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",/"
    /usr/bin/python3 "$root/tools/bench/opencv_flow.py" "$file" --method "$m" --size "$size" --pairs "$n" \
        --threads "$threads" 2>/dev/null | sed "s/^{/{\"round\": $round, \"load\": \"$(cut -d' ' -f1 /proc/loadavg)\", /"
  done
done
