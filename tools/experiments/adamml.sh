#!/bin/bash
# AdaMML, small (docs/results.md, "Adaptive modality selection"): accuracy against the fraction of
# compute saved, at three efficiency weights, against always computing every modality (the same
# three recognition nets trained with the same recipe and no policy: late fusion). Kinema-Motion
# with sound, 4 classes of 40 videos of 3 s at 8 fps and 32²; 4 segments a video, each one RGB
# frame, 2 Farneback flow fields and 32 log-mel frames; 40 epochs, seeds 0, 1, 2. One libtorch thread.
# Run from the repository root:   nice -n 5 tools/experiments/adamml.sh [OUT]
set -euo pipefail
OUT=${1:-kinema-out/adamml}
K=${KINEMA:-./kinema}
export OMP_NUM_THREADS=1
export KINEMA_JAVA_OPTS="${KINEMA_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}"
mkdir -p "$OUT"
[ -f "$OUT/data/labels.txt" ] || $K synth --out "$OUT/data" --audio --classes clapping,bouncing_ball,waving,slide_right \
    --videos-per-class 40 --size 32 --fps 8 --seconds 3 --seed 5 --workers 1
RECIPE=(--data "$OUT/data" --epochs ${EPOCHS:-40} --batch 8 --lr 3e-3)
run() {   # NAME ARGS...: trains into $OUT/NAME; its last lines are the test evaluations (JSON)
    local name=$1
    shift
    [ -f "$OUT/$name.log" ] && grep -q '^{' "$OUT/$name.log" || $K adamml "${RECIPE[@]}" --out "$OUT/$name" "$@" > "$OUT/$name.log"
    echo "== $name"; grep '^{' "$OUT/$name.log"
}
for seed in 0 1 2; do   # three seeds each: at this size the policy's choice depends on the start
    run "all-s$seed" --all-modalities --seed $seed
    for w in 0.1 0.5 2; do run "w$w-s$seed" --efficiency "$w" --seed $seed; done
done
$K classify --policy "$OUT/w0.5-s0" "$(ls "$OUT"/data/test/*/*.mp4 | head -1)"
