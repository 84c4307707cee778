/**
 * Caption and question-answering metrics with the reference implementations' rules: {@link Bleu}
 * (NLTK's {@code corpus_bleu}), {@link CiderD} (the COCO caption evaluator's CIDEr-D), {@link
 * QaAccuracy} (exact match per question type), read from and reported for MSR-VTT-style files by
 * {@link CaptionMetrics}.
 */
package dev.kinema.eval.captions;
