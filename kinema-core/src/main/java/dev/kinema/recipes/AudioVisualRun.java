package dev.kinema.recipes;

import ai.djl.Model;
import ai.djl.nn.Block;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.models.VideoModel;
import dev.kinema.tasks.AvCorrespondenceTask;
import dev.kinema.tasks.AvSyncTask;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained audio-visual run opened for the self-supervised recipes ({@link AvSync},
 * {@link AvLocalize}): its model (one logit per clip of packed RGB + log-mel) and the clips of a
 * video as it sees them, each frame squashed to the model's square (so a map over the clip covers
 * the whole frame) and carrying the sound of its span.
 */
final class AudioVisualRun implements AutoCloseable {
    private final Model holder;
    private final VideoModel model;
    private final ModelInput input;
    private final VideoClassifier clips;

    private AudioVisualRun(Model holder, VideoModel model, ModelInput input) {
        this.holder = holder;
        this.model = model;
        this.input = input.withPreprocessing(input.normalization(), input.size(), input.size());
        this.clips = new VideoClassifier(model, this.input, List.of("pair"));
    }

    /**
     * Opens {@code run}.
     *
     * @param purpose what the run is for, for the error when its model does not fit
     * @throws IllegalArgumentException naming the run when its model takes no packed audio-visual
     *     clips or gives more than one logit
     */
    static AudioVisualRun open(Path run, String purpose) throws IOException {
        RunDir dir = RunDir.open(run);
        ModelInput input = dir.input();
        String task = dir.config().taskDefinition().name();
        if (!input.modality().needsAudio() || !input.modality().needsFrames()
                || !List.of(AvSyncTask.NAME, AvCorrespondenceTask.NAME).contains(task)) {
            throw new IllegalArgumentException(run + ": " + purpose + " needs a run of av-sync-net or av-correspondence"
                    + " (trained with --task av-sync or av-correspondence), but it is a " + dir.config().model() + " run for "
                    + task);
        }
        Model holder = Model.newInstance("audio-visual");
        try {
            Block block = dir.loadModel(holder.getNDManager(), ModelFactory.registry(), 1);
            if (!(block instanceof VideoModel model)) {
                throw new IllegalArgumentException(run + ": " + purpose + " needs a registry model, not a TorchScript one");
            }
            return new AudioVisualRun(holder, model, input);
        } catch (IOException | RuntimeException e) {
            holder.close();
            throw e;
        }
    }

    VideoModel model() {
        return model;
    }

    ModelInput input() {
        return input;
    }

    /** {@code count} uniformly spaced clips of {@code video}, as the model sees them, with their sound. */
    List<Clip> clips(Path video, int count) {
        return clips.centreClips(video, count);
    }

    @Override
    public void close() {
        holder.close();
    }
}
