/**
 * Annotations of where and when actions happen, in the formats the field publishes: temporal
 * segments in ActivityNet JSON ({@link dev.kinema.data.annotations.ActivityNetJson}) and THUMOS14
 * per-class lists ({@link dev.kinema.data.annotations.ThumosLists}), and actor boxes on keyframes
 * in AVA CSV with its label map, excluded timestamps and proposals
 * ({@link dev.kinema.data.annotations.AvaCsv}). Readers report a bad entry as {@code file:line:
 * reason}. Tier 2: plain files, no tensors, so the metrics ({@code eval.detection}), the synthetic
 * data ({@code synth}) and the commands can all share them.
 */
package dev.kinema.data.annotations;
