package dev.kinema.adamml;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.flow.FlowSource;
import dev.kinema.io.AtomicFiles;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A trained AdaMML run: {@code adamml.json} (the network's shape, labels, how it was trained and
 * each modality's MACs per segment) and {@code adamml.params} (DJL's parameter file), both written
 * atomically. {@link #classify} runs the policy on a video's segments and then only the nets it
 * chose, segment by segment, so the compute it saves is not spent.
 */
public final class AdaMmlRun implements AutoCloseable {
    public static final String CONFIG = "adamml.json";
    public static final String PARAMETERS = "adamml.params";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What {@code adamml.json} holds. */
    public record Saved(AdaMmlConfig config, AdaMmlTraining.Options training, long rgbMacs, long flowMacs, long audioMacs,
            long policyMacs) {}

    /** One segment's decisions and its chosen nets' fused prediction (null label when it computed nothing). */
    public record SegmentResult(double start, double end, Set<SegmentModality> modalities, String label, double probability) {}

    /** A video's prediction, its segments, and the fraction of the all-modalities compute its decisions spent. */
    public record Result(Path video, String label, double probability, List<SegmentResult> segments, double computeFraction) {}

    private final AdaMmlConfig config;
    private final Model model;
    private final AdaMmlNetwork network;
    private final AdaMmlTraining.Options training;

    AdaMmlRun(AdaMmlConfig config, Model model, AdaMmlNetwork network, AdaMmlTraining.Options training) {
        this.config = config;
        this.model = model;
        this.network = network;
        this.training = training;
    }

    public AdaMmlNetwork network() {
        return network;
    }

    public AdaMmlConfig config() {
        return config;
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Saved saved = new Saved(config, training, network.macs(SegmentModality.RGB), network.macs(SegmentModality.FLOW),
                network.macs(SegmentModality.AUDIO), network.policyMacs());
        AtomicFiles.write(dir.resolve(CONFIG), out -> JSON.writeValue(out, saved));
        AtomicFiles.write(dir.resolve(PARAMETERS), out -> network.saveParameters(new DataOutputStream(out)));
    }

    /**
     * The run in {@code dir}.
     *
     * @throws IOException naming the file when {@code dir} is not an AdaMML run or its files are damaged
     */
    public static AdaMmlRun open(Path dir) throws IOException {
        Path json = dir.resolve(CONFIG);
        if (!Files.isRegularFile(json)) {
            throw new NoSuchFileException(json.toString(), null, "not an AdaMML run (kinema adamml writes " + CONFIG + ")");
        }
        Saved saved;
        try {
            saved = JSON.readValue(json.toFile(), Saved.class);
        } catch (IOException | RuntimeException e) {
            throw new IOException(json + ": not a readable AdaMML configuration: " + e.getMessage(), e);
        }
        AdaMmlNetwork network = new AdaMmlNetwork(saved.config());
        Model model = Model.newInstance("adamml");
        try (InputStream in = Files.newInputStream(dir.resolve(PARAMETERS))) {
            model.setBlock(network);
            network.initialize(model.getNDManager(), DataType.FLOAT32, saved.config().inputShapes(1));
            network.loadParameters(model.getNDManager(), new DataInputStream(in));
            return new AdaMmlRun(saved.config(), model, network, saved.training());
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException(dir.resolve(PARAMETERS) + ": not this network's parameters: " + e.getMessage(), e);
        } catch (IOException e) {
            model.close();
            throw e;
        }
    }

    /** Classifies {@code video}: the policy per segment, then only the chosen modalities' nets. */
    public Result classify(Path video, FlowSource flow) throws IOException {
        SegmentInputs inputs = SegmentInputs.decode(VideoSample.ofFile(video, -1, null, "test"), config, flow);
        ParameterStore store = new ParameterStore(model.getNDManager(), false);
        List<SegmentResult> segments = new ArrayList<>();
        int classes = config.classes();
        float[] sum = new float[classes];
        int chosen = 0;
        double compute = 0;
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList all = SegmentInputs.batch(manager, List.of(inputs), config);
            float[] decisions = AdaMmlNetwork.decide(network.policyLogits(store, all.get(0), all.get(2), false));
            for (int s = 0; s < config.segments(); s++) {
                Set<SegmentModality> used = EnumSet.noneOf(SegmentModality.class);
                float[] segment = new float[classes];
                for (SegmentModality m : SegmentModality.values()) {
                    if (decisions[s * SegmentModality.values().length + m.ordinal()] < 0.5f) {
                        continue;
                    }
                    used.add(m);
                    compute += (double) network.macs(m) / network.allModalitiesMacs();
                    NDArray x = all.get(m.ordinal()).get(":, " + s + ":" + (s + 1));
                    float[] p = network.logits(store, m, x, false).softmax(-1).toFloatArray();
                    for (int k = 0; k < classes; k++) {
                        segment[k] += p[k];
                        sum[k] += p[k];
                    }
                    chosen++;
                }
                int best = argMax(segment);
                segments.add(new SegmentResult(inputs.starts()[s], inputs.ends()[s], used, used.isEmpty() ? null : config.labels().get(best),
                        used.isEmpty() ? 0 : segment[best] / used.size()));
            }
        }
        int best = argMax(sum);
        return new Result(video, chosen == 0 ? null : config.labels().get(best), chosen == 0 ? 0 : sum[best] / chosen,
                segments, compute);
    }

    private static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        model.close();
    }
}
