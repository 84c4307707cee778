package dev.kinema.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Captions and question-answer pairs of one Kinema-Motion clip, written from its ground truth: the
 * class says the object, the action and, for motion and order classes, the direction or the order;
 * the colour is measured from what the actors paint ({@link #colourOf}), since hue is a nuisance
 * drawn freely for every actor and never recorded.
 *
 * <p>Every caption comes in four paraphrases, every question in three, so that a model cannot
 * memorise one template. The question types split as the lecture's argument does: {@link
 * QuestionType#isMotion() motion} types (direction, order, approach or recede) that no single frame
 * answers, and appearance types (colour, object) that any frame does.
 */
public final class SceneCaptions {
    /** What a question asks about. */
    public enum QuestionType {
        DIRECTION(true), ORDER(true), APPROACH_RECEDE(true), COLOUR(false), OBJECT(false);

        private final boolean motion;

        QuestionType(boolean motion) {
            this.motion = motion;
        }

        /** True when only how frames change answers it. */
        public boolean isMotion() {
            return motion;
        }

        /** The lower-case name used in {@code qa.json}: "direction", "approach_recede", ... */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static QuestionType fromJson(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** One question with its one-or-few-word answer. */
    public record QuestionAnswer(String question, String answer, QuestionType type) {}

    /** A clip's captions (paraphrases of one description) and its questions. */
    public record Annotation(String colour, String object, List<String> captions, List<QuestionAnswer> questions) {}

    /** The colour names, by hue sixth (red at 0°), and the two for colours too dark or pale to have a hue. */
    public static final List<String> COLOURS = List.of("red", "yellow", "green", "cyan", "blue", "purple", "black", "white");

    /** How each class is said: its object noun, and the verb phrases of its captions. */
    private record Phrasing(String object, List<String> captions, QuestionType type, List<String> questions, String answer) {}

    private static final Map<String, String> OBJECT = Map.ofEntries(
            Map.entry("slide_right", "shapes"), Map.entry("slide_left", "shapes"),
            Map.entry("rotate_clockwise", "rotor"), Map.entry("rotate_anticlockwise", "rotor"),
            Map.entry("approach", "shapes"), Map.entry("recede", "shapes"),
            Map.entry("walk_forward", "figure"), Map.entry("walk_backward", "figure"),
            Map.entry("sit_down", "figure"), Map.entry("stand_up", "figure"),
            Map.entry("jumping_jacks", "figure"), Map.entry("waving", "figure"), Map.entry("clapping", "figure"),
            Map.entry("juggling", "figure"), Map.entry("bouncing_ball", "ball"), Map.entry("pendulum", "pendulum"));

    private SceneCaptions() {}

    /** The captions and questions of {@code sample}, each actor's colour measured in the middle of its span. */
    public static Annotation of(SynthSample sample) {
        int actors = sample.scene().actors().size();
        List<String> colours = new ArrayList<>();
        for (int i = 0; i < actors; i++) {
            colours.add(colourOf(sample, i));
        }
        return of(sample.actionClass(), colours);
    }

    /**
     * The captions and questions of a clip of {@code actionClass} whose labelled actors have
     * {@code colours}, in the scene's order (one for a trimmed clip, one per part for an order class).
     */
    public static Annotation of(ActionClass actionClass, List<String> colours) {
        if (colours.size() != (actionClass.kind() == ActionKind.ORDER ? 2 : 1)) {
            throw new IllegalArgumentException(actionClass.name() + ": got " + colours.size() + " actor colours");
        }
        String colour = colours.get(0);
        String name = actionClass.name();
        List<String> captions = new ArrayList<>();
        List<QuestionAnswer> questions = new ArrayList<>();
        String object;
        if (actionClass.kind() == ActionKind.ORDER) {
            String first = KinemaMotion.orderParts(actionClass).get(0);
            String second = KinemaMotion.orderParts(actionClass).get(1);
            // Named in a fixed order, not the clip's: the object answer must not give the order away.
            object = objectOf(first).equals(objectOf(second)) ? objectOf(first)
                    : java.util.stream.Stream.of(objectOf(first), objectOf(second)).sorted().collect(java.util.stream.Collectors.joining(" and "));
            String a = event(first, colours.get(0));
            String b = event(second, colours.get(1));
            captions.add(a + ", then " + b);
            captions.add("first " + a + ", later " + b);
            captions.add(a + " and afterwards " + b);
            captions.add("after a pause " + b + ", but before that " + a);
            ask(questions, QuestionType.ORDER, shortEvent(first), "what happens first?", "what happens at the start?",
                    "what comes before the other action?");
        } else {
            object = objectOf(name);
            String o = colour + " " + object;
            switch (name) {
                case "slide_right", "slide_left" -> {
                    String dir = name.endsWith("right") ? "right" : "left";
                    captions.addAll(List.of("a few " + o + " slide to the " + dir, o + " glide " + dir + " across the frame",
                            "some " + o + " move to the " + dir, "a row of " + o + " drifts toward the " + dir));
                    ask(questions, QuestionType.DIRECTION, dir, "which way do the shapes move?",
                            "in which direction do the shapes slide?", "do the shapes go left or right?");
                }
                case "rotate_clockwise", "rotate_anticlockwise" -> {
                    String dir = name.endsWith("anticlockwise") ? "anticlockwise" : "clockwise";
                    captions.addAll(List.of("a " + o + " turns " + dir, "a " + o + " spins " + dir,
                            "a " + o + " rotates " + dir + " in place", "the " + o + " keeps turning " + dir));
                    ask(questions, QuestionType.DIRECTION, dir, "which way does the rotor turn?",
                            "in which direction does it spin?", "does the rotor turn clockwise or anticlockwise?");
                }
                case "approach", "recede" -> {
                    boolean closer = name.equals("approach");
                    String way = closer ? "toward the camera" : "away from the camera";
                    captions.addAll(List.of(o + " fly " + way, o + (closer ? " grow as they come closer" : " shrink as they move away"),
                            "a stream of " + o + " moves " + way, o + (closer ? " come out of the distance" : " vanish into the distance")));
                    ask(questions, QuestionType.APPROACH_RECEDE, closer ? "closer" : "away",
                            "do the shapes come closer or move away?", "are the shapes approaching or receding?",
                            "do the shapes move toward or away from the camera?");
                }
                case "walk_forward", "walk_backward" -> {
                    String dir = name.endsWith("forward") ? "forward" : "backward";
                    captions.addAll(List.of("a " + o + " walks " + dir, "a " + o + " steps " + dir + " on the ground",
                            "the " + o + " is walking " + dir, "a " + o + " takes steps " + dir));
                    ask(questions, QuestionType.DIRECTION, dir, "which way does the figure walk?",
                            "does the figure walk forward or backward?", "in which direction does the figure step?");
                }
                case "sit_down", "stand_up" -> {
                    boolean sits = name.equals("sit_down");
                    captions.addAll(sits
                            ? List.of("a " + o + " sits down on a stool", "a " + o + " stands, then sits down",
                                    "the " + o + " lowers itself onto a stool", "a standing " + o + " takes a seat")
                            : List.of("a " + o + " stands up from a stool", "a " + o + " sits, then stands up",
                                    "the " + o + " rises from a stool", "a seated " + o + " gets up"));
                    ask(questions, QuestionType.ORDER, sits ? "the figure stands" : "the figure sits", "what happens first?",
                            "what happens at the start?", "is the figure first standing or sitting?");
                }
                case "jumping_jacks" -> captions.addAll(List.of("a " + o + " does jumping jacks",
                        "a " + o + " jumps with arms and legs spread", "the " + o + " is doing jumping jacks",
                        "a " + o + " exercises with jumping jacks"));
                case "waving" -> captions.addAll(List.of("a " + o + " waves", "a " + o + " waves one arm",
                        "the " + o + " is waving hello", "a " + o + " raises an arm and waves"));
                case "clapping" -> captions.addAll(List.of("a " + o + " claps", "a " + o + " claps its hands",
                        "the " + o + " is clapping", "a " + o + " brings its hands together"));
                case "juggling" -> captions.addAll(List.of("a " + o + " juggles three balls", "a " + o + " is juggling",
                        "the " + o + " juggles balls in the air", "a " + o + " throws and catches balls"));
                case "bouncing_ball" -> captions.addAll(List.of("a " + o + " bounces on the floor", "a " + o + " is bouncing",
                        "the " + o + " bounces up and down", "a striped " + o + " bounces"));
                case "pendulum" -> captions.addAll(List.of("a " + o + " swings", "a " + o + " swings from a bar",
                        "the " + o + " is swinging back and forth", "a " + o + " hangs and swings"));
                default -> throw new IllegalArgumentException("no captions for class " + name);
            }
        }
        if (actionClass.kind() != ActionKind.ORDER) {
            // An order clip's two actors have two colours: "what colour is the figure?" has no one answer.
            ask(questions, QuestionType.COLOUR, colour, "what colour is the " + object + "?",
                "which colour does the " + object + " have?", "what is the colour of the " + object + "?");
        }
        ask(questions, QuestionType.OBJECT, object, "what is in the video?", "what object do you see?",
                "what is moving in the video?");
        return new Annotation(colour, object, List.copyOf(captions), List.copyOf(questions));
    }

    private static void ask(List<QuestionAnswer> out, QuestionType type, String answer, String... paraphrases) {
        for (String q : paraphrases) {
            out.add(new QuestionAnswer(q, answer, type));
        }
    }

    private static String objectOf(String className) {
        String o = OBJECT.get(className);
        if (o == null) {
            throw new IllegalArgumentException("no captions for class " + className);
        }
        return o;
    }

    /** An order class's sub-action as a clause: "the red figure claps". */
    private static String event(String part, String colour) {
        String subject = "the " + colour + " " + objectOf(part);
        return switch (part) {
            case "approach" -> subject + " come closer";
            case "clapping" -> subject + " claps";
            case "sit_down" -> subject + " sits down";
            case "waving" -> subject + " waves";
            default -> throw new IllegalArgumentException("no order phrase for " + part);
        };
    }

    /** The answer to "what happens first?": the sub-action without its colour. */
    private static String shortEvent(String part) {
        return event(part, "x").replace("the x ", "the ");
    }

    /**
     * The colour name of what labelled actor {@code actor} paints in the middle of its span: the
     * pixels that differ from the same frame without actors (both noise-free), binned by hue and
     * weighted by chroma; a dominant bin of nearly grey pixels is "black" or "white" by brightness.
     */
    public static String colourOf(SynthSample sample, int actor) {
        SynthSample clean = sample.withoutNoise();
        Actor a = sample.scene().actors().get(actor);
        ClipSpec spec = sample.spec();
        int middle = (int) Math.min(spec.frames() - 1, Math.max(0, Math.floor((a.start() + a.end()) / 2 * spec.fps())));
        byte[] with = clean.frame(middle);
        byte[] without = clean.withoutActors().frame(middle);
        double[] weight = new double[6];
        double[] chromaSum = new double[6];
        double[] brightSum = new double[6];
        int[] count = new int[6];
        for (int p = 0; p < with.length; p += 3) {
            int r = with[p] & 0xFF;
            int g = with[p + 1] & 0xFF;
            int b = with[p + 2] & 0xFF;
            int diff = Math.abs(r - (without[p] & 0xFF)) + Math.abs(g - (without[p + 1] & 0xFF)) + Math.abs(b - (without[p + 2] & 0xFF));
            if (diff < 24) {
                continue;
            }
            int max = Math.max(r, Math.max(g, b));
            int min = Math.min(r, Math.min(g, b));
            int bin = hueSixth(r, g, b, max, min);
            weight[bin] += max - min + 1;
            chromaSum[bin] += max - min;
            brightSum[bin] += max;
            count[bin]++;
        }
        int best = 0;
        for (int i = 1; i < 6; i++) {
            if (weight[i] > weight[best]) {
                best = i;
            }
        }
        if (count[best] == 0) {
            return "black";
        }
        if (chromaSum[best] / count[best] < 30) {
            return brightSum[best] / count[best] < 128 ? "black" : "white";
        }
        return COLOURS.get(best);
    }

    /** The hue's sixth of the circle, red centred on 0°. */
    private static int hueSixth(int r, int g, int b, int max, int min) {
        if (max == min) {
            return 0;
        }
        double c = max - min;
        double h;
        if (max == r) {
            h = ((g - b) / c + 6) % 6;
        } else if (max == g) {
            h = (b - r) / c + 2;
        } else {
            h = (r - g) / c + 4;
        }
        return (int) Math.floor(h + 0.5) % 6;
    }
}
