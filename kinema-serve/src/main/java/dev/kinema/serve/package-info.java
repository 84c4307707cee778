/**
 * The HTTP service: classification (and later the other tasks) of uploaded videos and live
 * streams through core's Predictor, with a web page. A separate module so that core keeps its light
 * dependencies; it depends on kinema-core only, never on kinema-cli. Filled by the issue "Serving and
 * scale".
 */
package dev.kinema.serve;
