#!/bin/bash
# VideoMAE's experiment (docs/results.md, "Masked video pretraining"): pretrain videomae-small on
# unlabelled Kinema-Motion videos (labels ignored), fine-tune it on a small labelled subset, and
# compare with the same model trained from scratch on that subset with the same recipe, and with
# slow-fusion (a 3D CNN) on it too.
#   unlabelled: all 16 classes, 100 videos each (1,600 videos, seed 100), never the labelled videos
#   labelled:   the demo's 8 classes (4 appearance, 4 motion-only), 30 videos each (seed 0); the
#               subset trains on the first 10 training videos of each class and keeps the 5 val
#               and 5 test videos of each class (40 test videos, 20 appearance, 20 motion-only)
# Clips: 8 frames at stride 2 of the 12 fps videos, 64x64 (16 tubelet positions a frame).
# Every step runs single-threaded libtorch (two processes at once on two cores); KINEMA_JAVA_OPTS
# changes that. (The first run kept two threads for pretraining and fine-tuning, whose gradients went
# non-finite on one thread; the cause was DJL freeing the attention's scale before the backward pass,
# fixed since: docs/models.md, "DJL frees Java-made tensors while autograd still reads them".)
# Run from the repository root:
#     nice -n 5 tools/experiments/videomae.sh [OUT]
# The pretrain-then-fine-tune chain runs beside the two runs that need no pretraining (two
# single-threaded processes at once). Sizes come from the environment (defaults in brackets): PT_EPOCHS [1], FT_EPOCHS [15], MASK [0.75],
# FT_LR [1e-3], LAYER_DECAY [0.75], TARGET [normalised] (pretrain's --target; another target's pretraining and
# fine-tuning are named pretrain-TARGET and mae-finetune-TARGET, so a second run on the same OUT adds those two rows). Wall time and peak memory of every step come from /usr/bin/time -v.
set -euo pipefail
OUT=${1:-kinema-out/mae}
K=${KINEMA:-./kinema}
export KINEMA_JAVA_OPTS="${KINEMA_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}"
PT_EPOCHS=${PT_EPOCHS:-1}
FT_EPOCHS=${FT_EPOCHS:-15}
MASK=${MASK:-0.75}
FT_LR=${FT_LR:-1e-3}
LAYER_DECAY=${LAYER_DECAY:-0.75}
TARGET=${TARGET:-normalised}
SUFFIX=$([ "$TARGET" = normalised ] || echo "-$TARGET")
CLASSES=jumping_jacks,waving,pendulum,bouncing_ball,slide_left,slide_right,rotate_clockwise,rotate_anticlockwise
CLIP=(--frames 8 --stride 2 --size 64)
mkdir -p "$OUT"

[ -f "$OUT/unlabelled/labels.txt" ] || $K synth --out "$OUT/unlabelled" --videos-per-class 100 --size 96 --fps 12 \
    --seconds 2:3 --seed 100
[ -f "$OUT/labelled/labels.txt" ] || $K synth --out "$OUT/labelled" --classes "$CLASSES" --videos-per-class 30 \
    --size 96 --fps 12 --seconds 2:3 --seed 0
if [ ! -f "$OUT/subset/labels.txt" ]; then   # the labelled subset: 10 training videos a class, all val and test
    rm -rf "$OUT/subset"
    mkdir -p "$OUT/subset"
    cp -r "$OUT/labelled/val" "$OUT/labelled/test" "$OUT/subset/"
    for dir in "$OUT"/labelled/train/*/; do
        class=$(basename "$dir")
        mkdir -p "$OUT/subset/train/$class"
        ls "$dir" | sort | head -10 | while read -r f; do cp "$dir/$f" "$OUT/subset/train/$class/"; done
    done
    cp "$OUT/labelled/labels.txt" "$OUT/labelled/classes.json" "$OUT/subset/"
fi

summary() {
    echo "== $1: $(grep -h 'video top-1\|by kind\|last train loss' "$OUT/$1.eval" "$OUT/$1.log" 2>/dev/null | tr '\n' ' ')"
    grep -h 'Elapsed (wall\|Maximum resident\|User time' "$OUT/$1.time"
}

RECIPE=(--data "$OUT/subset" --epochs "$FT_EPOCHS" --batch 8 --lr "$FT_LR" --no-flip --seed 0 --val-clips 1 "${CLIP[@]}")
train() {   # NAME MODEL ARGS...: trains into $OUT/NAME, times it, evaluates on the test split (3 clips a video)
    local name=$1 model=$2
    shift 2
    [ -f "$OUT/$name.eval" ] && { summary "$name"; return; }   # done in an earlier, interrupted run
    /usr/bin/time -v -o "$OUT/$name.time" $K train --model "$model" --out "$OUT/$name" "${RECIPE[@]}" "$@" \
        > "$OUT/$name.log"
    $K eval --run "$OUT/$name" --split test --clips 3 > "$OUT/$name.eval"
    summary "$name"
}
pretrain_then_finetune() {
    local pt=pretrain$SUFFIX
    if [ ! -f "$OUT/$pt/encoder.safetensors" ]; then   # labels ignored: the unlabelled folder has them, unused
        /usr/bin/time -v -o "$OUT/$pt.time" $K pretrain --data "$OUT/unlabelled" --model videomae-small \
            --out "$OUT/$pt" --mask-ratio "$MASK" --target "$TARGET" --epochs "$PT_EPOCHS" --warmup-epochs 0.5 --batch 8 \
            "${CLIP[@]}" > "$OUT/$pt.log"
    fi
    summary "$pt"
    train "mae-finetune$SUFFIX" videomae-small --init "$OUT/$pt/encoder.safetensors" --layer-decay "$LAYER_DECAY"
}

# The same fine-tuning recipe from the pretrained encoder and from scratch; slow-fusion for reference.
pretrain_then_finetune &
chain=$!
train mae-scratch videomae-small --layer-decay "$LAYER_DECAY"
train slow-fusion slow-fusion
train mae-scratch-no-decay videomae-small   # scratch as one would train it without a pretrained start
wait $chain
