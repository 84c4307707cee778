#!/usr/bin/env bash
# Kinema vs PyAV on the same file and the same clips, alternating run by run so that both see the
# same machine load. Prints one JSON line per run; summarise with decode_ratios.py.
#
#   tools/bench/decode_side_by_side.sh FILE [ROUNDS] [CLIPS] > runs.jsonl
#   /usr/bin/python3 tools/bench/decode_ratios.py runs.jsonl
#
# Kinema variants (KINEMA_VARIANTS, comma list; each is `kinema bench decode` with these options):
#   t1       1 decoder thread, clips one after another
#   frame2   FFmpeg frame threads (thread_type FRAME), 2 threads
#   conc2    2 clips decoded at once (a reader and a thread each, as the loader decodes a batch), 1 thread each
#   seq      1 thread, never seek (decode from the start): what keyframe seeking saves
#   seek     1 thread, always seek to the keyframe before each target, even when decoding on is shorter
# PyAV variants (PYAV_VARIANTS): what plain PyAV code does (naive), the best decode-every-frame
# pipelines (one thread; FFmpeg's frame threads) and PyAV with Kinema's per-packet NONREF skipping,
# on one thread and with 2 frame threads (the best PyAV configuration of docs/benchmarks.md).
set -euo pipefail
file=${1:?usage: decode_side_by_side.sh FILE [ROUNDS] [CLIPS]}
rounds=${2:-5}
clips=${3:-20}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kinema=${KINEMA:-$root/kinema}   # e.g. a frozen build while the sources change
kinema_variants=${KINEMA_VARIANTS:-t1,frame2,conc2}
variants=${PYAV_VARIANTS:-naive,frameauto-all-reopen,t1-nonref-reopen,frame2-nonref-reopen}
kinema_options() {
  case "$1" in
    t1) echo "--threads 1" ;;
    frame2) echo "--threads 2 --thread-type FRAME" ;;
    frameauto) echo "--threads 0 --thread-type FRAME" ;;
    conc2) echo "--threads 1 --concurrent 2" ;;
    seq) echo "--threads 1 --strategy SEQUENTIAL" ;;
    seek) echo "--threads 1 --strategy SEEK" ;;
    *) echo "unknown Kinema variant $1" >&2; exit 2 ;;
  esac
}
"$kinema" --version >/dev/null 2>&1 || true   # build once, outside the timing
for round in $(seq 1 "$rounds"); do
  for mode in uniform random; do
    for kv in ${kinema_variants//,/ }; do
      # shellcheck disable=SC2046
      "$kinema" bench decode "$file" --frames 16 --size 112 --clips "$clips" --mode "$mode" --stride 4 \
          $(kinema_options "$kv") 2>/dev/null | sed "s/^{/{\"tool\":\"kinema\",\"variant\":\"$kv\",\"round\":$round,/"
      echo
    done
    /usr/bin/python3 "$root/tools/bench/pyav_decode.py" "$file" --frames 16 --size 112 --clips "$clips" \
        --mode "$mode" --stride 4 --repeat 1 --no-verify --variants "$variants" 2>/dev/null \
        | grep -v '"variant": "best"' | sed "s/^{/{\"round\": $round, /"
  done
  echo "{\"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"round\": $round}"
done
