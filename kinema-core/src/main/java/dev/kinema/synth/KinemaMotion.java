package dev.kinema.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Kinema-Motion: a built-in procedural action dataset, so that Kinema can train and test models
 * with nothing downloaded. Sixteen classes of Johansson-style stick figures and point-light walkers
 * and of simple objects, over textured backgrounds with colour, scale, position, speed, phase,
 * camera-jitter, pixel-noise and distractor variation.
 *
 * <h2>Appearance classes and motion pairs</h2>
 * Six classes ({@link ActionKind#APPEARANCE}) can be recognised from any single frame: each has its
 * own pose or props (an X-shaped jumping-jack, a raised waving arm, hands together at the chest,
 * three balls in the air, a beach ball over a floor, a pendulum on a bar). A single-frame CNN
 * should do well on them: the "strong baseline".
 *
 * <p>Ten classes ({@link ActionKind#MOTION}) come in five pairs that no single frame can tell apart:
 * slide right/left, rotate clockwise/anticlockwise, approach/recede, walk forward/backward and sit
 * down/stand up. The guarantee is built in, not hoped for:
 * <ol>
 *   <li><b>The partner is the time reversal of the same random sample.</b> The second class of each
 *   pair has no recipe of its own: for a given seed it builds exactly the scene of the first class
 *   (same background, actor, distractors, camera path) and plays every actor and the camera shake
 *   backwards ({@link Actor#reversed()}). Since frame {@code i} shows time {@code (i + 0.5) / fps}
 *   ({@link ClipSpec#time}), frame {@code i} of the partner <em>is</em> frame {@code N-1-i} of the
 *   original, byte for byte before pixel noise (which is i.i.d. per frame in both). Each partner
 *   clip therefore holds the very same set of frames as its original, only in reverse order, so a
 *   frame drawn at a uniformly random time has the same distribution in both classes.</li>
 *   <li><b>The first four pairs are stationary,</b> which makes the match hold at every single frame
 *   index too, not just on average over time. Every moving quantity in their recipes is a phase on a
 *   cycle that starts uniformly at random: a horizontal position on a wrap-around track (slides),
 *   an angle (rotors), a log-depth in a looping stream (approach), a gait phase and a ground-texture
 *   offset (walks). Distractors drift on a wrap-around torus from uniform positions and the camera
 *   shake is a sum of sinusoids with uniform phases. So the distribution of what frame {@code i}
 *   shows does not depend on {@code i}; in particular it equals that of frame {@code N-1-i}, which
 *   by (1) is what frame {@code i} of the partner shows.</li>
 *   <li><b>Sit down / stand up is a single transition</b> and cannot be stationary (a clip starts
 *   standing or sitting). Its transition midpoint is uniform over the middle of the clip
 *   (symmetric about the centre) and its easing curve is symmetric in time, so the pair's frames
 *   match exactly when pooled over time and at the centre frame, as (1) guarantees, while the first
 *   frame does tell them apart; models that sample one frame at random or at the centre cannot.</li>
 * </ol>
 * The unit tests check both properties: byte-identity of reversed frames, and statistics (colour
 * histograms, actor position and size) that agree between the classes of each pair while a motion
 * statistic (displacement, rotation, growth, gait, height trend) separates them.
 *
 * <h2>Order classes</h2>
 * Four more classes ({@link ActionKind#ORDER}, {@link #orderClasses()}, not in the default set of
 * {@link #classes()}) need long-term reasoning: two sub-actions of the classes above, each in its
 * own {@value #ORDER_PART_PERCENT}% of the clip at its start and end, with nothing but the
 * background in between. {@code approach_then_clap} and {@code clap_then_approach} have the same
 * two sub-actions, drawn the same way, in the other order (likewise {@code sit_down_then_wave} and
 * {@code wave_then_sit_down}), so each part alone is identical in distribution across the pair, and
 * a window shorter than the gap between them sees at most one: only the order, seen over the whole
 * video, tells the classes apart. Averaging clip predictions does not help, it discards order.
 *
 * <h2>Determinism</h2>
 * A clip depends only on its class, its {@link ClipSpec} and its seed; a dataset's clip seeds come
 * from {@link #sampleSeed(long, String, int)}, so output never depends on thread scheduling.
 */
public final class KinemaMotion {
    /**
     * A class: one actor from {@code recipe}, or for an order class the two {@code parts} in turn.
     * Its {@code look} names the classes it cannot be told from by its frames (the same recipe played
     * the same way), and {@code timbre} is what its events sound like.
     */
    private record Entry(ActionClass actionClass, ActionRecipe recipe, boolean reversed, List<String> parts, String look,
            Timbre timbre) {}

    /** Percentage of an order class's clip that each of its two sub-actions takes. */
    public static final int ORDER_PART_PERCENT = 30;

    private static final List<Entry> ENTRIES = catalogue();
    private static final List<ActionClass> CLASSES = ENTRIES.stream().map(Entry::actionClass).toList();
    private static final List<Entry> ORDER_ENTRIES = orderCatalogue(ENTRIES.size());
    private static final List<ActionClass> ORDER_CLASSES = ORDER_ENTRIES.stream().map(Entry::actionClass).toList();
    private static final List<Entry> SOUND_ENTRIES = soundCatalogue(ENTRIES.size() + ORDER_ENTRIES.size());
    private static final List<ActionClass> SOUND_CLASSES = SOUND_ENTRIES.stream().map(Entry::actionClass).toList();
    private static final Map<String, Entry> BY_NAME = java.util.stream.Stream.of(ENTRIES, ORDER_ENTRIES, SOUND_ENTRIES)
            .flatMap(List::stream).collect(Collectors.toUnmodifiableMap(e -> e.actionClass().name(), Function.identity()));

    private KinemaMotion() {}

    private static List<Entry> catalogue() {
        List<Entry> out = new ArrayList<>();
        pair(out, "slide_right", "slide_left", ObjectActions::slide, Timbre.SILENT,
                "Two or three copies of one shape glide to the right, wrapping around at the frame's edge.",
                "The time reversal of slide_right: the same shapes glide to the left.");
        pair(out, "rotate_clockwise", "rotate_anticlockwise", ObjectActions::rotate, Timbre.SILENT,
                "A pinwheel, propeller or marked disc turns clockwise.",
                "The time reversal of rotate_clockwise: the rotor turns anticlockwise.");
        pair(out, "approach", "recede", ObjectActions::approach, Timbre.SILENT,
                "A stream of shapes flies out of a vanishing point toward the viewer, growing as it comes.",
                "The time reversal of approach: shapes shrink away into the vanishing point.");
        pair(out, "walk_forward", "walk_backward", FigureActions::walk, Timbre.TONE,
                "A side-view stick figure or point-light walker, facing left or right, walks forward;"
                        + " the camera tracks it, so the ground scrolls backward under its feet.",
                "The time reversal of walk_forward: the figure walks backward, toward its back.");
        pair(out, "sit_down", "stand_up", FigureActions::sitDown, Timbre.TONE,
                "A side-view figure standing in front of a stool sits down on it.",
                "The time reversal of sit_down: the seated figure stands up.");
        single(out, "jumping_jacks", FigureActions::jumpingJacks, Timbre.TONE,
                "A front-view figure does jumping jacks: arms sweep overhead while the legs spread, never hanging down.");
        single(out, "waving", FigureActions::waving, Timbre.SILENT,
                "A front-view figure waves with one arm raised high, its forearm swinging.");
        single(out, "clapping", FigureActions::clapping, Timbre.TONE,
                "A front-view figure claps, hands meeting in front of the chest.");
        single(out, "juggling", FigureActions::juggling, Timbre.TONE,
                "A front-view figure juggles three balls in a cascade above its hands.");
        single(out, "bouncing_ball", ObjectActions::bounce, Timbre.TONE,
                "A striped beach ball bounces on a floor line, with a shadow beneath it.");
        single(out, "pendulum", ObjectActions::pendulum, Timbre.SILENT,
                "A pendulum hangs from a bar and swings.");
        return List.copyOf(out);
    }

    private static List<Entry> orderCatalogue(int firstIndex) {
        List<Entry> out = new ArrayList<>();
        orderPair(out, firstIndex, "approach", "clapping", "approach_then_clap", "clap_then_approach");
        orderPair(out, firstIndex, "sit_down", "waving", "sit_down_then_wave", "wave_then_sit_down");
        return List.copyOf(out);
    }

    private static void orderPair(List<Entry> out, int firstIndex, String a, String b, String aThenB, String bThenA) {
        out.add(new Entry(new ActionClass(aThenB, firstIndex + out.size(), ActionKind.ORDER, bThenA,
                "First " + a + ", seconds later " + b + ", the background alone in between."), null, false, List.of(a, b),
                aThenB, Timbre.TONE));
        out.add(new Entry(new ActionClass(bThenA, firstIndex + out.size(), ActionKind.ORDER, aThenB,
                "First " + b + ", seconds later " + a + ": " + aThenB + " in the other order."), null, false, List.of(b, a),
                bThenA, Timbre.TONE));
    }

    private static void pair(List<Entry> out, String name, String reversedName, ActionRecipe recipe, Timbre timbre,
            String description, String reversedDescription) {
        out.add(new Entry(new ActionClass(name, out.size(), ActionKind.MOTION, reversedName, description), recipe, false,
                List.of(), name, timbre));
        out.add(new Entry(new ActionClass(reversedName, out.size(), ActionKind.MOTION, name, reversedDescription),
                recipe, true, List.of(), reversedName, timbre));
    }

    private static void single(List<Entry> out, String name, ActionRecipe recipe, Timbre timbre, String description) {
        out.add(new Entry(new ActionClass(name, out.size(), ActionKind.APPEARANCE, null, description), recipe, false,
                List.of(), name, timbre));
    }

    /**
     * The sound classes: two pairs whose classes share their motion and differ in sound. Each
     * class of a pair renders the very frames of its partner for a seed (same recipe, same random
     * draws), and the two balls the very frames of {@code bouncing_ball} too, whose tone is a third
     * sound: among the three balls, only the sound breaks the visual tie.
     */
    private static List<Entry> soundCatalogue(int firstIndex) {
        List<Entry> out = new ArrayList<>();
        soundPair(out, firstIndex, "bouncing_ball", ObjectActions::bounce,
                "bouncing_ball_rubber", Timbre.THUD, "The bouncing_ball scene; each bounce is a rubber ball's low, dull thud.",
                "bouncing_ball_metal", Timbre.RING, "The bouncing_ball scene; each bounce is a metal ball's high ring that lingers.");
        soundPair(out, firstIndex, "knocking", FigureActions::knock,
                "knocking", Timbre.KNOCK, "A side-view figure raps on a door in bursts of knocks; each knock is a sharp wooden tap.",
                "miming_knock", Timbre.SILENT, "The same knocking motion, mimed: the fist stops short without a sound.");
        return List.copyOf(out);
    }

    private static void soundPair(List<Entry> out, int firstIndex, String look, ActionRecipe recipe, String a, Timbre aSound,
            String aDescription, String b, Timbre bSound, String bDescription) {
        out.add(new Entry(new ActionClass(a, firstIndex + out.size(), ActionKind.SOUND, b, aDescription), recipe, false,
                List.of(), look, aSound));
        out.add(new Entry(new ActionClass(b, firstIndex + out.size(), ActionKind.SOUND, a, bDescription), recipe, false,
                List.of(), look, bSound));
    }

    /**
     * The default classes, in label order ({@link ActionClass#index()} is the position in this
     * list): appearance and motion, not the {@linkplain #orderClasses() order classes}.
     */
    public static List<ActionClass> classes() {
        return CLASSES;
    }

    /** Class names in label order: the lines of {@code labels.txt}. */
    public static List<String> labels() {
        return CLASSES.stream().map(ActionClass::name).toList();
    }

    /** The order classes (long-term structure), indexed after {@link #classes()}; asked for by name. */
    public static List<ActionClass> orderClasses() {
        return ORDER_CLASSES;
    }

    /** An order class's two sub-action classes, in the order they happen; empty for the other classes. */
    public static List<String> orderParts(ActionClass actionClass) {
        return entry(actionClass).parts();
    }

    /**
     * The sound classes (classes that only their soundtrack tells apart, rendered with {@code --audio}),
     * indexed after the order classes; asked for by name.
     */
    public static List<ActionClass> soundClasses() {
        return SOUND_CLASSES;
    }

    /** The classes of one kind, in label order. */
    public static List<ActionClass> classes(ActionKind kind) {
        List<ActionClass> all = switch (kind) {
            case ORDER -> ORDER_CLASSES;
            case SOUND -> SOUND_CLASSES;
            default -> CLASSES;
        };
        return all.stream().filter(c -> c.kind() == kind).toList();
    }

    /** What the events of {@code actionClass} sound like in its soundtrack. */
    public static Timbre timbre(ActionClass actionClass) {
        return entry(actionClass).timbre();
    }

    /**
     * Which senses tell each of {@code classes} apart from the others in that set: whether another
     * class of the set looks the same (renders its frames from the same recipe, played the same way)
     * and whether another sounds the same (has the same {@link Timbre}; the rhythm of events may
     * still differ, so "sounds the same" is the timbre's verdict, not a guarantee). Names that are
     * not Kinema-Motion classes are left out.
     */
    public static Map<String, Evidence> evidence(List<String> classes) {
        List<Entry> set = classes.stream().map(BY_NAME::get).filter(java.util.Objects::nonNull).toList();
        Map<String, Evidence> out = new java.util.LinkedHashMap<>();
        for (Entry e : set) {
            boolean looksAlike = set.stream().anyMatch(o -> o != e && o.look().equals(e.look()));
            boolean soundsAlike = set.stream().anyMatch(o -> o != e && o.timbre() == e.timbre());
            out.put(e.actionClass().name(), Evidence.of(looksAlike, soundsAlike));
        }
        return out;
    }

    public static Optional<ActionClass> find(String name) {
        Entry e = BY_NAME.get(name);
        return e == null ? Optional.empty() : Optional.of(e.actionClass());
    }

    /** The class called {@code name}; an {@link IllegalArgumentException} listing the valid names otherwise. */
    public static ActionClass get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "no Kinema-Motion class '" + name + "'; the classes are " + labels() + ", the order classes "
                        + ORDER_CLASSES.stream().map(ActionClass::name).toList() + " and the sound classes "
                        + SOUND_CLASSES.stream().map(ActionClass::name).toList()));
    }

    /**
     * The seed of video {@code index} of class {@code className} in a dataset generated with
     * {@code datasetSeed}: a hash of the three, so each video is reproducible on its own.
     */
    public static long sampleSeed(long datasetSeed, String className, int index) {
        return Seeds.mix(Seeds.mix(datasetSeed, Seeds.of(className)), index);
    }

    /**
     * An actor performing {@code actionClass} on {@code stage} from scene time {@code start} to
     * {@code end}: the building block of trimmed clips, and of untrimmed or multi-actor scenes.
     */
    public static Actor actor(ActionClass actionClass, Stage stage, double start, double end, SplittableRandom rng) {
        Entry e = entry(actionClass);
        if (e.recipe() == null) {
            throw new IllegalArgumentException(actionClass.name() + " is an order class, two actors in turn, not one actor");
        }
        return new Actor(actionClass.name(), start, end, e.recipe().create(stage, end - start, rng), e.reversed());
    }

    /** One trimmed clip of {@code className}: a single actor performing for the whole clip. */
    public static SynthSample sample(String className, ClipSpec spec, long seed) {
        return sample(get(className), spec, seed);
    }

    /** One trimmed clip of {@code actionClass}: a single actor performing for the whole clip. */
    public static SynthSample sample(ActionClass actionClass, ClipSpec spec, long seed) {
        boolean reversed = entry(actionClass).reversed();
        SplittableRandom rng = new SplittableRandom(seed);
        Backdrop backdrop = Backdrop.draw(rng);
        Palette palette = backdrop.palette();
        double duration = spec.duration();
        Stage stage = Stage.fullFrame(spec.aspect(), palette);
        List<Actor> behind = new ArrayList<>();
        List<Actor> inFront = new ArrayList<>();
        int distractors = rng.nextInt(3);
        for (int i = 0; i < distractors; i++) {
            Actor d = new Actor(null, 0, duration, ObjectActions.drift(stage, duration, rng.split()), reversed);
            (rng.nextDouble() < 0.3 ? inFront : behind).add(d);
        }
        List<Actor> layers = new ArrayList<>(behind);
        List<String> parts = entry(actionClass).parts();
        if (parts.isEmpty()) {
            layers.add(actor(actionClass, stage, 0, duration, rng.split()));
        } else {
            // Each part's randomness is keyed by its name, not its turn: with one seed, both classes
            // of a pair show the very same two performances, only in the other order.
            double part = duration * ORDER_PART_PERCENT / 100.0;
            long partSeed = rng.nextLong();
            layers.add(actor(get(parts.get(0)), stage, 0, part,
                    new SplittableRandom(Seeds.mix(partSeed, Seeds.of(parts.get(0))))));
            layers.add(actor(get(parts.get(1)), stage, duration - part, duration,
                    new SplittableRandom(Seeds.mix(partSeed, Seeds.of(parts.get(1))))));
        }
        layers.addAll(inFront);
        double noise = rng.nextDouble() < 0.2 ? 0 : rng.nextDouble(1, 8);
        Scene scene = new Scene(spec.aspect(), duration, backdrop.background(), reversed ? backdrop.camera().reversed(duration) : backdrop.camera(),
                layers, noise, rng.nextLong());
        return new SynthSample(actionClass, spec, seed, scene);
    }

    private static Entry entry(ActionClass actionClass) {
        Entry e = BY_NAME.get(actionClass.name());
        if (e == null || !e.actionClass().equals(actionClass)) {
            throw new IllegalArgumentException("not a Kinema-Motion class: " + actionClass);
        }
        return e;
    }

    /**
     * Accuracy over the videos of each kind of class (appearance, motion, order, sound), from a
     * confusion matrix whose rows are true classes: the lecture's question of what motion adds.
     * Classes that are not Kinema-Motion classes are left out; a kind with no videos is absent from
     * the result.
     *
     * @return kind -> {correct, total}
     */
    public static java.util.Map<ActionKind, long[]> accuracyByKind(List<String> classes, int[][] confusion) {
        return accuracyBy(classes, confusion, name -> find(name).map(ActionClass::kind).orElse(null),
                new java.util.EnumMap<>(ActionKind.class));
    }

    /**
     * Accuracy over the videos of each {@link Evidence} group of the set (which senses tell a class
     * apart), from a confusion matrix whose rows are true classes: the audio-visual comparison's split.
     * Empty unless the set holds a {@linkplain ActionKind#SOUND sound class}: without one, sound is
     * not part of the dataset's design.
     *
     * @return evidence -> {correct, total}
     */
    public static java.util.Map<Evidence, long[]> accuracyByEvidence(List<String> classes, int[][] confusion) {
        java.util.Map<Evidence, long[]> out = new java.util.EnumMap<>(Evidence.class);
        if (classes.stream().map(KinemaMotion::find).flatMap(Optional::stream).noneMatch(c -> c.kind() == ActionKind.SOUND)) {
            return out;
        }
        Map<String, Evidence> evidence = evidence(classes);
        return accuracyBy(classes, confusion, evidence::get, out);
    }

    private static <K> java.util.Map<K, long[]> accuracyBy(List<String> classes, int[][] confusion,
            Function<String, K> groupOf, java.util.Map<K, long[]> out) {
        for (int i = 0; i < classes.size(); i++) {
            K group = groupOf.apply(classes.get(i));
            if (group == null) {
                continue;
            }
            long[] counts = out.computeIfAbsent(group, k -> new long[2]);
            for (int j = 0; j < confusion[i].length; j++) {
                counts[1] += confusion[i][j];
                counts[0] += i == j ? confusion[i][j] : 0;
            }
        }
        out.values().removeIf(c -> c[1] == 0);
        return out;
    }
}
