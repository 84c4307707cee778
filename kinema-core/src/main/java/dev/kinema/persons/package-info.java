/**
 * Person boxes for spatio-temporal action detection: {@link dev.kinema.persons.PersonDetector}, a
 * small anchor-free (CenterNet-style) detector trained on a dataset's keyframes, for videos that
 * come with no person boxes.
 */
package dev.kinema.persons;
