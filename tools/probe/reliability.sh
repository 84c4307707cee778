#!/usr/bin/env bash
# Reruns the categories of bad input and faults the robustness review found (issue 22) against the
# kinema command, and says for each whether Kinema noticed: bit flips in a checkpoint, a stale flow
# cache, malformed annotations, an empty split, and failures that must be one line, not a trace.
#
#   tools/probe/reliability.sh [WORKDIR]     (default: a new temporary folder; about 2 minutes)
#
# Exit code: the number of cases that failed. Each case prints PASS or FAIL and what it saw.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kinema="$root/kinema"
work="${1:-$(mktemp -d -t kinema-probe-XXXX)}"
mkdir -p "$work"
failed=0

pass() { echo "PASS  $1"; }
fail() { echo "FAIL  $1: $2"; failed=$((failed + 1)); }

# run NAME EXPECT_EXIT(nonzero|zero) GREP_PATTERN -- kinema args...: checks the exit code, that stderr
# has the pattern, and that no Java stack trace reached the user.
run() {
  local name="$1" expect="$2" pattern="$3"; shift 4
  local err="$work/$name.err" code
  "$kinema" "$@" >"$work/$name.out" 2>"$err"; code=$?
  if [ "$expect" = nonzero ] && [ "$code" -eq 0 ]; then fail "$name" "exit 0, expected a refusal"; return; fi
  if [ "$expect" = zero ] && [ "$code" -ne 0 ]; then fail "$name" "exit $code: $(tail -1 "$err")"; return; fi
  if grep -q $'^\tat ' "$err"; then fail "$name" "a stack trace reached the user"; return; fi
  if ! grep -Eq "$pattern" "$err" "$work/$name.out"; then fail "$name" "no /$pattern/ in: $(tail -2 "$err")"; return; fi
  pass "$name"
}

flip() { # flip N bytes of FILE from its middle
  local file="$1" n="$2" size; size=$(stat -c %s "$file")
  /usr/bin/python3 - "$file" "$n" "$size" <<'PY'
import sys
f, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(f, 'r+b') as h:
    h.seek(size // 2); b = bytearray(h.read(n))
    h.seek(size // 2); h.write(bytes(x ^ 0xff for x in b))
PY
}

echo "kinema reliability probe in $work"
data="$work/km"
"$kinema" synth --out "$data" --videos-per-class 3 --size 64x48 --seconds 0.8 --classes slide_left,clapping,waving \
  --workers 2 >/dev/null 2>&1 || { echo "cannot render the probe dataset"; exit 100; }
"$kinema" train --data "$data" --model tiny-3d --out "$work/run" --frames 8 --size 32 --epochs 1 --workers 2 \
  >/dev/null 2>&1 || { echo "cannot train the probe run"; exit 100; }
video=$(find "$data/train" -name '*.mp4' | sort | head -1)

# 1. Bit flips: a damaged checkpoint is refused by name by resume, eval and classify.
cp -r "$work/run" "$work/flipped"; flip "$work/flipped/checkpoint.ckpt" 64
run flip-resume nonzero "checkpoint.ckpt: damaged" -- train --out "$work/flipped" --resume
run flip-classify nonzero "checkpoint.ckpt: damaged" -- classify "$video" --run "$work/flipped"
run flip-eval nonzero "checkpoint.ckpt: damaged" -- eval --run "$work/flipped" --split val

# 2. Stale cache: a dataset re-rendered into the same folder is noticed by kinema flow.
"$kinema" flow "$data" --method farneback --size 32 --out "$work/flow" >/dev/null 2>&1
"$kinema" synth --out "$data" --videos-per-class 3 --size 64x48 --seconds 0.8 --classes slide_left,clapping,waving \
  --seed 7 --overwrite >/dev/null 2>&1
run stale-flow zero "recomputed because their video changed" -- flow "$data" --method farneback --size 32 --out "$work/flow"

# 3. Malformed annotations are summarised, not skipped silently; --strict makes them fatal.
mkdir -p "$work/bad-val/train" "$work/bad-val/val/clapping" "$work/bad-val/val/slide_left" "$work/bad-val/val/waving"
cp -r "$data/train/"* "$work/bad-val/train/"; cp "$data"/val/clapping/*.mp4 "$work/bad-val/val/clapping/"
cp "$data"/val/slide_left/*.mp4 "$work/bad-val/val/slide_left/"
run empty-class-eval zero "annotation problem" -- eval --run "$work/run" --data "$work/bad-val" --split val
run empty-class-strict nonzero "waving" -- eval --run "$work/run" --data "$work/bad-val" --split val --strict

# 4. An empty split is an error naming it.
mkdir -p "$work/empty/train" "$work/empty/test/clapping" "$work/empty/test/slide_left" "$work/empty/test/waving"
cp -r "$data/train/"* "$work/empty/train/"
run empty-split nonzero "test split has no videos" -- eval --run "$work/run" --data "$work/empty" --split test

# 5. Failures of every kind are one line.
printf 'not a video' >"$work/notes.mp4"
run bad-video nonzero "^kinema: .*notes.mp4" -- classify "$work/notes.mp4" --run "$work/run"
run weights-folder nonzero "^kinema: --weights .*: is a folder" -- import --model tiny-3d --weights "$work" --out "$work/imp"
run huge-input nonzero "^kinema: --input .* is too large" -- models c3d --input 3x100000x100000x100000
run missing-run nonzero "^kinema: .*no-such-run" -- classify "$video" --run "$work/no-such-run"
run flow-out-file nonzero "is a file, not a folder" -- flow "$data" --out "$work/notes.mp4"
head -c 100 /dev/zero >"$work/labels.txt"; cp -r "$work/run" "$work/relabelled"; printf 'a\nb\n' >"$work/relabelled/labels.txt"
run labels-count nonzero "labels.txt: 2 class names, but .* 3 classes" -- classify "$video" --run "$work/relabelled"

echo "$failed case(s) failed"
exit "$failed"
