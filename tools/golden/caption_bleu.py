#!/usr/bin/python3
"""Golden corpus BLEU-4 from NLTK (Debian's python3-nltk 3.8), for BleuGoldenTest.

    apt-get install -y python3-nltk
    /usr/bin/python3 tools/golden/caption_bleu.py kinema-core/src/test/resources/golden/captions

Each case is a corpus: per hypothesis, its references; sentences are already split into words
(lower case, no punctuation), as Kinema's CaptionText splits them. The score is
nltk.translate.bleu_score.corpus_bleu with its defaults (weights 0.25 x 4, no smoothing).
"""
import json
import os
import sys
import warnings

import nltk
from nltk.translate.bleu_score import corpus_bleu

CASES = {
    # NLTK's own docstring example.
    "nltk_docstring": (
        [[
            "it is a guide to action that ensures that the military will forever heed party commands",
            "it is the guiding principle which guarantees the military forces always being under the command of the party",
            "it is the practical guide for the army always to heed the directions of the party",
        ], [
            "he was interested in world history because he read the book",
        ]],
        [
            "it is a guide to action which ensures that the military always obeys the commands of the party",
            "he read the book because he was interested in world history",
        ],
    ),
    # Kinema-Motion-like captions: several references, clipping, a short hypothesis (brevity penalty).
    "kinema_captions": (
        [[
            "a few red shapes slide to the right",
            "red shapes glide right across the frame",
            "some red shapes move to the right",
            "a row of red shapes drifts toward the right",
        ], [
            "a blue figure walks backward",
            "a blue figure steps backward on the ground",
            "the blue figure is walking backward",
        ], [
            "a green rotor turns clockwise",
            "a green rotor spins clockwise",
        ]],
        [
            "a few red shapes slide to the left",
            "the the blue figure walks",
            "a green rotor spins anticlockwise in place",
        ],
    ),
    # No 4-gram matches at all: NLTK's method0 takes log of the smallest float, the score vanishes.
    "no_fourgram": (
        [["a red ball bounces on the floor"], ["the pendulum swings"]],
        ["a red ball is bouncing", "pendulum swings"],
    ),
    # A hypothesis longer than every reference, and ties in the closest reference length.
    "long_and_ties": (
        [["a b c d e", "a b c d e f g"], ["x y z w"]],
        ["a b c d e f", "x y z w v u t s"],
    ),
}


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    result = {"nltk": nltk.__version__, "cases": {}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, (refs, hyps) in CASES.items():
            r = [[s.split() for s in group] for group in refs]
            h = [s.split() for s in hyps]
            result["cases"][name] = {"references": refs, "hypotheses": hyps, "bleu4": corpus_bleu(r, h)}
    with open(os.path.join(out_dir, "bleu.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
