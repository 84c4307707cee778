/**
 * The metrics of temporal action localisation and spatio-temporal action detection, with the
 * official evaluators' semantics: ActivityNet detection mAP over tIoU thresholds
 * ({@link dev.kinema.eval.detection.ActivityNetMap}), average recall against the average number of
 * proposals ({@link dev.kinema.eval.detection.ProposalRecall}), AVA frame mAP
 * ({@link dev.kinema.eval.detection.AvaFrameMap}), the VOC precision envelope they share
 * ({@link dev.kinema.eval.detection.AveragePrecision}), and temporal NMS and soft-NMS
 * ({@link dev.kinema.eval.detection.TemporalNms}) with MMAction2's, and the greedy NMS of segments
 * and boxes ({@link dev.kinema.eval.detection.Nms}) with torchvision's. Plain Java on the records of
 * {@code data.annotations}; part of the {@code eval} tier.
 */
package dev.kinema.eval.detection;
