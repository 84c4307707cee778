#!/bin/bash
# The lecture's long-term comparison (docs/results.md, "Long-term temporal structure"): clip models
# against models that see the whole video, on Kinema-Motion's order classes plus two appearance
# classes. Every model: the same recipe (AdamW, peak lr 3e-3, 5 epochs of batch 8, no flips,
# 32-px crops, seed 0, one validation clip per video). Clip models take 8 frames at stride 2 (2 s of the 8 fps videos) and are
# tested on 5 uniform clips per video, softmax averaged; long-term models take 6 frames at 1 fps,
# the whole 6 s video, tested on that one clip. Run from the repository root:
#     nice -n 5 tools/experiments/long_term.sh [OUT]
# Wall time and peak resident memory of every `kinema train` come from /usr/bin/time -v.
# ROWS=lrcn,slow-fusion,... runs only those rows (lrcn-features for the cached-feature rows).
set -euo pipefail
OUT=${1:-kinema-out/long-term}
K=${KINEMA:-./kinema}
CLASSES=approach_then_clap,clap_then_approach,sit_down_then_wave,wave_then_sit_down,jumping_jacks,juggling
mkdir -p "$OUT"
[ -f "$OUT/data/labels.txt" ] || $K synth --out "$OUT/data" --classes "$CLASSES" --videos-per-class 30 \
    --size 48 --fps 8 --seconds 6:6 --seed 1
RECIPE=(--data "$OUT/data" --epochs ${EPOCHS:-5} --batch 8 --lr 3e-3 --no-flip --size 32 --seed 0 --val-clips 1)
CLIP=(--frames 8 --stride 2)
LONG=(--frames 6 --fps 1)

wanted() { [ -z "${ROWS:-}" ] || [[ ",$ROWS," == *",$1,"* ]]; }

train() {   # NAME MODEL CLIPS ARGS...: trains into $OUT/NAME, times it, evaluates on the test split
    local name=$1 model=$2 clips=$3
    shift 3
    wanted "$name" || return 0
    [ -f "$OUT/$name.eval" ] && { summary "$name"; return; }   # done in an earlier, interrupted run
    /usr/bin/time -v -o "$OUT/$name.time" $K train --model "$model" --out "$OUT/$name" "${RECIPE[@]}" "$@" \
        > "$OUT/$name.log"
    $K eval --run "$OUT/$name" --split test --clips "$clips" > "$OUT/$name.eval"
    summary "$name"
}

summary() {
    echo "== $1: $(grep -h 'video top-1\|by kind\|test top-1' "$OUT/$1.eval" "$OUT/$1.log" 2>/dev/null | tr '\n' ' ')"
    grep -h 'Elapsed (wall\|Maximum resident' "$OUT/$1.time"
}

train lrcn lrcn 1 "${LONG[@]}"
train single-frame single-frame 5 "${CLIP[@]}"

# lrcn on frozen cached features: the single-frame run's CNN (a per-frame network, lrcn's own),
# frozen, cached once over the whole videos (6 frames at 1 fps); only the LSTM is trained: with the
# recipe's 5 epochs, and with 40 (seconds of work once the features are cached).
if wanted lrcn-features; then
[ -f "$OUT/features/features.json" ] || $K features --run "$OUT/single-frame" --frames 6 --fps 1 --data "$OUT/data" \
    --out "$OUT/features" > "$OUT/features.log"
for epochs in 5 40; do
    /usr/bin/time -v -o "$OUT/lrcn-features-$epochs.time" $K train --features "$OUT/features" --model lrcn \
        --out "$OUT/lrcn-features-$epochs" --epochs $epochs --batch 8 --lr 3e-3 --seed 0 > "$OUT/lrcn-features-$epochs.log"
    summary lrcn-features-$epochs
done
fi

train conv-gru conv-gru 1 "${LONG[@]}"
train conv-lstm conv-lstm 1 "${LONG[@]}"
train slow-fusion slow-fusion 5 "${CLIP[@]}"
# The two r3d_18 runs last: they take most of the time (33 M parameters).
train r3d_18 r3d_18 5 "${CLIP[@]}"
train r3d_18-nl r3d_18 5 "${CLIP[@]}" --non-local layer2,layer3
