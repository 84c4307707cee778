#!/usr/bin/env bash
# Temporal action localisation on untrimmed Kinema-Motion (docs/results.md, "Temporal action
# localisation"): sliding windows, BSN's TEM proposals, and TEM + PEM, all classified by one clip
# classifier. Usage: tools/experiments/localization.sh [OUT=/tmp/loc] [EPOCHS=25]
# The data and classifier steps are skipped when OUT/data and OUT/run-sw25 exist. KINEMA overrides
# the launcher (default ./kinema, run with nice -n 5).
set -euo pipefail
OUT=${1:-/tmp/loc}
EPOCHS=${2:-25}
K=${KINEMA:-"nice -n 5 ./kinema"}
D=$OUT/data
R=$OUT/run-sw25
[ -d "$D" ] || $K synth --untrimmed --out "$D" --videos 40 --seconds 20:40 --instance-seconds 3:8 --size 64 --fps 10 \
    --classes waving,jumping_jacks,clapping,bouncing_ball,slide_left,slide_right --window-seconds 2 --workers 1 --seed 0
[ -d "$R" ] || $K train --data "$D/windows" --model tiny-3d --out "$R" --frames 8 --stride 2 --size 56 \
    --epochs "$EPOCHS" --lr 5e-3 --no-flip --val-clips 2 --seed 0
TEST=$(for i in 34 35 36 37 38 39; do echo -n "$D/videos/untrimmed_00$i.mp4 "; done)
TRAIN=$(for i in $(seq -w 0 27); do echo -n "$D/videos/untrimmed_00$i.mp4 "; done)
# One pass over the training videos fits the TEM, then the PEM on the fitted TEM's proposals.
$K localize $TRAIN --run "$R" --ground-truth "$D/activitynet.json" --fit-tem --tem "$OUT/tem.bin" --fit-pem --pem "$OUT/pem.bin"
$K localize $TEST --run "$R" --out "$OUT/tl-windows" --predictions "$OUT/windows.json" > /dev/null
$K localize $TEST --run "$R" --method bsn --tem "$OUT/tem.bin" --out "$OUT/tl-tem" --predictions "$OUT/tem.json" > /dev/null
$K localize $TEST --run "$R" --method bsn --tem "$OUT/tem.bin" --pem "$OUT/pem.bin" --out "$OUT/tl-pem" \
    --predictions "$OUT/pem.json" > /dev/null
for m in windows tem pem; do
  echo "== $m"
  $K metrics activitynet --ground-truth "$D/activitynet.json" --subset testing --predictions "$OUT/$m.json"
  $K metrics proposals --ground-truth "$D/activitynet.json" --subset testing --proposals "$OUT/$m.json"
done
