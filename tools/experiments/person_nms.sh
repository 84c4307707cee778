#!/usr/bin/env bash
# The action frame mAP of roi-tiny-3d with the person detector's boxes at each --person-nms IoU, on one
# split (docs/results.md, "Spatio-temporal action detection": the NMS IoU was chosen on val). Needs
# tools/experiments/detection.sh's OUT (data, run) and OUT/persons.bin. Usage:
# tools/experiments/person_nms.sh OUT SPLIT IOU... (1 = no NMS). KINEMA overrides the launcher.
set -euo pipefail
OUT=$1
SPLIT=$2
shift 2
K=${KINEMA:-"nice -n 5 ./kinema"}
# `|| true`: the split's last video need not be the folder's last, and a failed grep must not end the script.
VIDEOS=$(ls "$OUT"/data/videos/*.mp4 | while read -r v; do id=$(basename "$v" .mp4); grep -q "^$id," "$OUT/data/ava_$SPLIT.csv" && echo "$v" || true; done)
for NMS in "$@"; do
  P=$OUT/pred_persons_${SPLIT}_nms$NMS
  echo "== $SPLIT --person-nms $NMS $(date +%T) $(uptime | sed 's/.*load/load/')"
  $K detect $VIDEOS --run "$OUT/run" --persons "$OUT/persons.bin" --person-nms "$NMS" --predictions "${P}_all.csv" > /dev/null
  # The detector looks at every whole second; keep the annotated keyframes, which the ground truth scores.
  awk -F, 'NR==FNR {k[$1","$2]=1; next} ($1","$2) in k' "$OUT/data/ava_$SPLIT.csv" "${P}_all.csv" > "$P.csv"
  echo "boxes on the annotated keyframes: $(cut -d, -f1-6 "$P.csv" | sort -u | wc -l)"
  $K metrics ava --ground-truth "$OUT/data/ava_$SPLIT.csv" --predictions "$P.csv" \
      --label-map "$OUT/data/label_map.pbtxt" --exclusions "$OUT/data/excluded_timestamps_$SPLIT.csv"
done
