#!/usr/bin/env bash
# Kinema vs PyAV on the same file and the same clips, alternating run by run so that both see the
# same machine load. Prints one JSON line per run; summarise with decode_ratios.py.
#
#   tools/bench/decode_side_by_side.sh FILE [ROUNDS] [CLIPS] > runs.jsonl
#   /usr/bin/python3 tools/bench/decode_ratios.py runs.jsonl
set -euo pipefail
file=${1:?usage: decode_side_by_side.sh FILE [ROUNDS] [CLIPS]}
rounds=${2:-5}
clips=${3:-20}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# PyAV variants: what plain PyAV code does (naive), the best decode-every-frame pipelines
# (single-threaded and FFmpeg's frame threads), and PyAV with Kinema's per-packet NONREF skipping.
variants=naive,t1-all-reopen,frameauto-all-reopen,t1-nonref-reopen
"$root/kinema" --version >/dev/null 2>&1 || true   # build once, outside the timing
for round in $(seq 1 "$rounds"); do
  for mode in uniform random; do
    "$root/kinema" bench decode "$file" --frames 16 --size 112 --clips "$clips" --mode "$mode" --stride 4 \
        2>/dev/null | sed "s/^{/{\"tool\":\"kinema\",\"round\":$round,/"
    echo
    /usr/bin/python3 "$root/tools/bench/pyav_decode.py" "$file" --frames 16 --size 112 --clips "$clips" \
        --mode "$mode" --stride 4 --repeat 1 --no-verify --variants "$variants" 2>/dev/null \
        | grep -v '"variant": "best"' | sed "s/^{/{\"round\": $round, /"
  done
done
