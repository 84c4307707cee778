/**
 * Kinema on Apache Spark: batch classification and feature extraction over many videos, one model
 * per executor, through core's Predictor. A separate module so that core does not carry Spark's
 * dependencies; it depends on kinema-core only. Filled by the issue "Serving and scale".
 */
package dev.kinema.spark;
