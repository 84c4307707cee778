#!/usr/bin/env bash
# AVA frame mAP@0.5 of roi-tiny-3d on multi-actor Kinema-Motion (docs/results.md, "Spatio-temporal
# action detection"), with ground-truth person boxes and, when OUT/persons.bin exists (kinema detect
# --fit-persons), with the person detector's boxes. Usage: tools/experiments/detection.sh [OUT=/tmp/det]
# [EPOCHS=12]. The data step is skipped when OUT/data exists, training when OUT/run exists. KINEMA
# overrides the launcher (default ./kinema, run with nice -n 5).
set -euo pipefail
OUT=${1:-/tmp/det}
EPOCHS=${2:-12}
K=${KINEMA:-"nice -n 5 ./kinema"}
[ -d "$OUT/data" ] || $K synth --multi-actor --out "$OUT/data" --videos 80 --seconds 6 --size 96 --fps 10 \
    --classes jumping_jacks,waving,clapping,juggling --workers 1 --seed 0
[ -d "$OUT/run" ] || $K train --data "$OUT/data" --task action-detection --model roi-tiny-3d --out "$OUT/run" --frames 4 \
    --stride 3 --size 64 --resize 64 --epochs "$EPOCHS" --batch 8 --lr 3e-3 --warmup-epochs 1 --seed 0
TEST=$(ls "$OUT"/data/videos/*.mp4 | while read -r v; do id=$(basename "$v" .mp4); grep -q "^$id," "$OUT/data/ava_test.csv" && echo "$v" || true; done)
$K detect $TEST --run "$OUT/run" --boxes "$OUT/data/ava_test.csv" --predictions "$OUT/pred_test.csv" > /dev/null
$K metrics ava --ground-truth "$OUT/data/ava_test.csv" --predictions "$OUT/pred_test.csv" \
    --label-map "$OUT/data/label_map.pbtxt" --exclusions "$OUT/data/excluded_timestamps_test.csv"
if [ -f "$OUT/persons.bin" ]; then
  $K detect $TEST --run "$OUT/run" --persons "$OUT/persons.bin" --predictions "$OUT/pred_persons_all.csv" > /dev/null
  # The detector looks at every whole second; keep the annotated keyframes, which the ground truth scores.
  awk -F, 'NR==FNR {k[$1","$2]=1; next} ($1","$2) in k' "$OUT/data/ava_test.csv" "$OUT/pred_persons_all.csv" \
      > "$OUT/pred_persons.csv"
  $K metrics ava --ground-truth "$OUT/data/ava_test.csv" --predictions "$OUT/pred_persons.csv" \
      --label-map "$OUT/data/label_map.pbtxt" --exclusions "$OUT/data/excluded_timestamps_test.csv"
fi
