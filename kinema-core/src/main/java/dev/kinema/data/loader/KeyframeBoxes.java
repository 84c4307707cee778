package dev.kinema.data.loader;

import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Gives each clip the actor boxes of its keyframe, AVA style: the annotated whole second nearest
 * the clip's centre (AVA annotates one keyframe a second and its clips are centred on it), each
 * box on the clip's middle time step, in pixels of the clip's frames, labelled with its action's
 * output index; an actor with several actions has one box per action, at the same place. Applied
 * before the spatial augment, so crops and flips move the boxes with the frames.
 */
public final class KeyframeBoxes implements FieldTransform {
    private final Map<String, List<ActorBox>> byKey = new HashMap<>();
    private final ToIntFunction<ActorBox> labelOf;

    /**
     * @param boxes ground truth (or proposals) of any number of videos
     * @param labelOf a box's output index, or -1 to leave the box out
     */
    public KeyframeBoxes(Collection<ActorBox> boxes, ToIntFunction<ActorBox> labelOf) {
        this.labelOf = labelOf;
        boxes.forEach(b -> byKey.computeIfAbsent(b.key(), k -> new ArrayList<>()).add(b));
    }

    /** Every split's ground truth of an AVA folder, labelled by label-map position; excluded keyframes left out. */
    public static KeyframeBoxes of(AvaDataset ava) {
        Set<String> excluded = new HashSet<>();
        ava.exclusions().values().forEach(excluded::addAll);
        List<ActorBox> kept = ava.allBoxes().stream().filter(b -> !excluded.contains(b.key())).toList();
        return new KeyframeBoxes(kept, b -> ava.labelIndex(b.actionId()));
    }

    /** AVA's {@code video_id} of a video file: its name without the extension. */
    public static String videoId(Path video) {
        String name = video.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The keyframe (whole second) a clip is labelled with: the one nearest its centre. */
    public static int keyframe(Clip.Source source) {
        return (int) Math.round((source.startSeconds() + source.endSeconds()) / 2);
    }

    /** The rows at {@code video}'s keyframe {@code timestamp}, in file order (empty when none). */
    public List<ActorBox> at(String video, int timestamp) {
        return byKey.getOrDefault(ActorBox.key(video, timestamp), List.of());
    }

    @Override
    public Set<Clip.Field> fields() {
        return EnumSet.of(Clip.Field.BOXES);
    }

    @Override
    public Clip apply(Clip clip, Random rng) {
        List<ActorBox> rows = at(videoId(clip.source().video()), keyframe(clip.source()));
        int w = clip.width();
        int h = clip.height();
        int middle = clip.length() / 2;
        List<Clip.Box> boxes = new ArrayList<>(rows.size());
        for (ActorBox b : rows) {
            int label = labelOf.applyAsInt(b);
            if (label >= 0 && b.valid()) {
                boxes.add(new Clip.Box(middle, (float) (b.x1() * w), (float) (b.y1() * h), (float) (b.x2() * w),
                        (float) (b.y2() * h), label));
            }
        }
        return clip.withBoxes(boxes);
    }

    @Override
    public String toString() {
        return "keyframe boxes (" + byKey.size() + " keyframes)";
    }
}
