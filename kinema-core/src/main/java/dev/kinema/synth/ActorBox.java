package dev.kinema.synth;

/**
 * Where one actor is in one frame, in pixels of that frame (clipped to it), AVA-style.
 *
 * @param actor the actor's position in {@link Scene#actors()}
 * @param action the actor's action label
 */
public record ActorBox(int actor, String action, double x, double y, double width, double height) {
    public double centerX() {
        return x + width / 2;
    }

    public double centerY() {
        return y + height / 2;
    }

    public double area() {
        return width * height;
    }
}
