package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Shape arithmetic must not write into the caller's shape (DJL's Shape.getShape() is its backing array). */
class OutputShapesTest {
    @Test
    void globalPoolLeavesItsInputShapeAlone() {
        Shape in = new Shape(2, 3, 4, 5, 6);
        assertEquals(new Shape(2, 3, 1, 1, 1), new GlobalAvgPool().getOutputShapes(new Shape[] {in})[0]);
        assertEquals(new Shape(2, 3, 4, 5, 6), in);
    }

    @Test
    void poolingLeavesItsInputShapeAlone() {
        Shape in = new Shape(2, 3, 4, 8, 8);
        assertEquals(new Shape(2, 3, 2, 4, 4), Pooling.max(new Shape(2, 2, 2)).getOutputShapes(new Shape[] {in})[0]);
        assertEquals(new Shape(2, 3, 4, 8, 8), in);
    }
}
