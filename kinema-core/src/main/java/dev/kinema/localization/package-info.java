/**
 * Temporal action localisation in untrimmed video: where each action starts and ends.
 * {@link dev.kinema.localization.ClipScores} runs a trained clip classifier densely over a video;
 * {@link dev.kinema.localization.SlidingWindows} turns those scores into scored segments over
 * windows of several lengths (the baseline, with a background class). Tier 5, beside
 * {@code tasks}: it uses {@code eval}'s forward pass and metrics, {@code data.*} and {@code video};
 * opening a trained run (in {@code train}) is the caller's job.
 */
package dev.kinema.localization;
