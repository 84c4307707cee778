package dev.kinema.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ai.djl.ndarray.types.Shape;
import dev.kinema.bench.AttentionCosts;
import dev.kinema.cards.ModelCard;
import dev.kinema.cards.ModelCards;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.explain.GradCam;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelInfo;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.models.slowfast.SlowFast;
import dev.kinema.nn.LayerRow;
import dev.kinema.nn.LayerTable;
import dev.kinema.nn.MultiPathwayNet;
import dev.kinema.nn.Profiler;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kinema models}: the model registry. Without a name, lists the models; with one, prints its
 * per-layer table (output shape, parameters, multiply-adds, receptive field) for an input clip. No
 * weights are created for the table, so even C3D's is instant; only the Grad-CAM layer the card names
 * is found by one forward pass of the model on its smallest clip.
 */
@Command(name = "models", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List the models, or print one model's per-layer table: output shape",
            "(C x T x H x W), parameters, MACs and receptive field (T x H x W).",
            "MACs are multiply-adds, what the lecture and torchvision call FLOPs."})
final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "A model name; omit to list the models.")
    String name;

    @Option(names = "--input", paramLabel = "CxTxHxW",
            description = "The clip, e.g. 3x16x112x112 (H = W); default: the model's default input.")
    String input;

    @Option(names = "--classes", paramLabel = "N", description = "Number of classes (default: the model's default).")
    Integer classes;

    @Option(names = "--backbone", paramLabel = "B", description = "2D backbone, for models built on one (small, resnet18).")
    String backbone;

    @Option(names = "--non-local", paramLabel = "STAGE", split = ",",
            description = "Insert a non-local block after each of these stages of a 3D CNN, e.g. layer2,layer3.")
    List<String> nonLocal;

    @Option(names = "--json", description = "JSON instead of a text table.")
    boolean json;

    @Option(names = "--attention-cost", description = {"Compare joint, divided, factorised-encoder and factorised",
        "dot-product attention (ViT-B on 16x16 patches of every frame) on the --input clip",
        "(default 3x8x224x224): tokens, attention entries and MACs, model MACs, and the",
        "measured memory of one forward pass."})
    boolean attentionCost;

    @Option(names = "--no-memory", description = "With --attention-cost: skip the forward passes that measure memory.")
    boolean noMemory;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (attentionCost) {
            if (name != null || classes != null || backbone != null) {
                throw new IllegalArgumentException("--attention-cost takes only --input (and --no-memory, --json)");
            }
            long[] clip = parseInput(input != null ? input : "3x8x224x224");
            out.print(attentionCostText(AttentionCosts.table(new Shape(clip), !noMemory), json));
            out.flush();
            return 0;
        }
        if (name == null) {
            if (input != null || classes != null || backbone != null || nonLocal != null) {
                throw new IllegalArgumentException("--input, --classes, --backbone and --non-local need a model NAME");
            }
            out.print(json ? Json.pretty(listJson()) + "\n" : listText());
        } else {
            VideoModel model = ModelRegistry.create(name, config(ModelRegistry.info(name)));
            LayerTable table = model.layerTable();
            ModelCard card = card(model);
            String gradCamLayer = GradCam.defaultLayer(model.name(), model.config().backbone().orElse(null));
            out.print(json ? Json.pretty(tableJson(model, table, card, gradCamLayer)) + "\n"
                    : tableText(model, table) + cardText(card, gradCamLayer));
        }
        out.flush();
        return 0;
    }

    private ModelConfig config(ModelInfo info) {
        ModelConfig.Builder b = ModelConfig.builder().setNumClasses(classes != null ? classes : info.defaults().numClasses());
        if (classes != null && classes < 1) {
            throw new IllegalArgumentException("--classes must be >= 1 (got " + classes + ")");
        }
        if (input != null) {
            long[] clip = parseInput(input);
            b.optChannels(Math.toIntExact(clip[0])).optFrames(Math.toIntExact(clip[1])).optSize(Math.toIntExact(clip[2]));
        }
        if (backbone != null) {
            b.optBackbone(backbone);
        }
        if (nonLocal != null) {
            b.optNonLocal(nonLocal.stream().map(String::strip).toList());
        }
        return b.build();
    }

    /** The card a run of {@code model} trained by Kinema at its clip size gets: how clips are made, params and MACs. */
    private static ModelCard card(VideoModel model) {
        ModelCard.Input d = ModelCards.defaultCard(model.name()).input();
        int size = model.config().size();
        ModelCard.Input input = new ModelCard.Input(d.modality(), null, model.config().frames(), d.stride(), d.fps(), size,
                List.of(ModelInput.defaultResize(size)), d.crop(), d.mean(), d.std());
        return ModelCards.withSizeOf(ModelCards.defaultCard(model.name()).withInput(input), model);
    }

    private static String cardText(ModelCard card, String gradCamLayer) {
        ModelCard.Input in = card.input();
        return String.format(Locale.ROOT, "%nModel card (card.json of a run trained on these clips): %s clips of %d frames,"
                + " stride %d, %dx%d crops of frames resized to %d; params %,d, MACs %s per clip%n", in.modality(),
                in.frames(), in.stride(), in.size(), in.size(), in.resize().get(0), card.params(),
                LayerTable.formatMacs(card.macs())) + gradCamText(gradCamLayer);
    }

    /** What {@code kinema explain gradcam} explains when given no --layer. */
    private static String gradCamText(String layer) {
        return layer != null ? "Grad-CAM layer (explain gradcam's default): " + layer + "\n"
                : "Grad-CAM layer: none (no stage has a spatio-temporal output)\n";
    }

    static String attentionCostText(List<AttentionCosts.Row> rows, boolean asJson) {
        if (asJson) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (AttentionCosts.Row r : rows) {
                ObjectNode o = a.addObject();
                o.put("attention", r.attention());
                o.put("tokens", r.tokens());
                o.put("attention_entries", r.entries());
                o.put("attention_macs", r.attentionMacs());
                o.put("model_macs", r.modelMacs());
                o.put("forward_peak_bytes", r.peakBytes());
            }
            return Json.pretty(a) + "\n";
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-24s %7s %18s %14s %11s %15s%n", "attention",
                "tokens", "attention entries", "attention MACs", "model MACs", "forward memory"));
        for (AttentionCosts.Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-24s %,7d %,18d %14s %11s %15s%n", r.attention(), r.tokens(), r.entries(),
                    LayerTable.formatMacs(r.attentionMacs()), LayerTable.formatMacs(r.modelMacs()),
                    r.peakBytes() < 0 ? "-" : String.format(Locale.ROOT, "%,d MB", r.peakBytes() >> 20)));
        }
        return b.append("ViT-B (768 wide, 12 blocks of 12 heads) on 16x16 patches of every frame with a class token;"
                + " the factorised encoder has 4 temporal blocks. Entries and MACs are per clip over all blocks and heads;"
                + " memory is the resident memory one forward pass at batch 1 adds"
                + (System.getenv("MALLOC_MMAP_THRESHOLD_") == null && rows.stream().anyMatch(r -> r.peakBytes() >= 0)
                        ? " (run with MALLOC_MMAP_THRESHOLD_=131072 for a true figure per row: otherwise the C allocator"
                        + " keeps what earlier rows freed, and later rows read low)" : "")
                + ".\n").toString();
    }

    /** {@code CxTxHxW} with square frames. */
    static long[] parseInput(String text) {
        String[] parts = text.trim().split("[xX×]");
        long[] v = new long[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                v[i] = Long.parseLong(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            v = new long[0];
        }
        if (v.length != 4 || java.util.Arrays.stream(v).anyMatch(x -> x < 1 || x > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("--input must be CxTxHxW with positive sizes, e.g. 3x16x112x112 (got '" + text + "')");
        }
        if (v[2] != v[3]) {
            throw new IllegalArgumentException("--input: models take square frames, H = W (got " + v[2] + "x" + v[3] + ")");
        }
        // A clip's values must fit one array (and its multiply-adds a 64-bit count): 2^31 floats is 8 GiB.
        double values = (double) v[0] * v[1] * v[2] * v[3];
        if (values > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--input %s is too large: %.3g values in one clip, at most %d", text, values, Integer.MAX_VALUE));
        }
        return v;
    }

    private static String listText() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"name", "default input", "backbones (default first)", "description"});
        for (ModelInfo m : ModelRegistry.models()) {
            rows.add(new String[] {m.name(), Profiler.dims(m.defaultInputShape()),
                m.takesBackbone() ? String.join(", ", backbonesDefaultFirst(m)) : "-",
                m.description()});
        }
        int[] w = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            b.append(String.format(Locale.ROOT, "%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %s%n", (Object[]) r));
        }
        b.append("\nkinema models NAME [--input CxTxHxW] [--classes N] [--backbone B] [--non-local STAGE,...] prints a model's layer table.\n");
        return b.toString();
    }

    private static List<String> backbonesDefaultFirst(ModelInfo m) {
        List<String> l = new ArrayList<>(m.backbones());
        String first = m.defaults().backbone().orElseThrow();
        l.remove(first);
        l.add(0, first);
        return l;
    }

    private static ObjectNode listJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode models = root.putArray("models");
        for (ModelInfo m : ModelRegistry.models()) {
            ObjectNode o = models.addObject();
            o.put("name", m.name());
            o.put("description", m.description());
            longs(o.putArray("default_input"), m.defaultInputShape().getShape());
            o.put("default_classes", m.defaults().numClasses());
            ArrayNode b = o.putArray("backbones");
            m.backbones().forEach(b::add);
            o.put("default_backbone", m.defaults().backbone().orElse(null));
        }
        return root;
    }

    private static String tableText(VideoModel model, LayerTable table) {
        ModelConfig c = model.config();
        String header = String.format(Locale.ROOT, "%s: input %s, %d classes%s%n", model.name(), Profiler.dims(model.inputShape()),
                c.numClasses(), c.backbone().map(b -> ", backbone " + b).orElse(""));
        return header + table.toText() + "MACs are multiply-adds per clip (what the lecture and torchvision call FLOPs); "
                + "RF is capped at the input.\n" + pathwaySplitText(model, table);
    }

    /** For a two-pathway model (SlowFast), where the MACs go, next to the lecture's claim. */
    static String pathwaySplitText(VideoModel model, LayerTable table) {
        if (!(model.features() instanceof MultiPathwayNet)) {
            return "";
        }
        SlowFast.MacSplit s = SlowFast.macSplit(table);
        double total = s.total();
        return String.format(Locale.ROOT, "%nMACs by pathway: slow %s (%.1f%%), fast %s (%.1f%%), lateral connections %s (%.1f%%), "
                + "head %s (%.1f%%)%n", LayerTable.formatMacs(s.slow()), 100 * s.slow() / total,
                LayerTable.formatMacs(s.fast()), 100 * s.fast() / total, LayerTable.formatMacs(s.lateral()),
                100 * s.lateral() / total, LayerTable.formatMacs(s.head()), 100 * s.head() / total)
                + String.format(Locale.ROOT, "fast pathway: %.1f%% of MACs (%.1f%% with the lateral connections, which run on "
                + "its features), %.2fx the slow pathway; the lecture says about 20%%.%n",
                100 * s.fastShare(), 100 * s.fastAndLateralShare(), s.fastOverSlow());
    }

    private static ObjectNode tableJson(VideoModel model, LayerTable table, ModelCard card, String gradCamLayer) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", model.name());
        root.put("gradcam_layer", gradCamLayer);
        longs(root.putArray("input"), table.inputShape());
        root.put("classes", model.config().numClasses());
        root.put("backbone", model.config().backbone().orElse(null));
        root.put("cost_unit", "multiply-adds per clip");
        ArrayNode layers = root.putArray("layers");
        for (LayerRow r : table.rows()) {
            ObjectNode o = layers.addObject();
            o.put("name", r.name());
            o.put("op", r.op());
            longs(o.putArray("shape"), r.shape());
            o.put("params", r.params());
            o.put("macs", r.macs());
            longs(o.putArray("receptive_field"), r.receptiveField());
        }
        longs(root.putArray("output"), table.outputShape());
        root.put("total_params", table.totalParams());
        root.put("total_macs", table.totalMacs());
        root.set("card", Json.MAPPER.valueToTree(card));
        if (model.features() instanceof MultiPathwayNet) {
            SlowFast.MacSplit s = SlowFast.macSplit(table);
            ObjectNode split = root.putObject("macs_by_pathway");
            split.put("slow", s.slow());
            split.put("fast", s.fast());
            split.put("lateral", s.lateral());
            split.put("head", s.head());
            split.put("fast_share", s.fastShare());
        }
        return root;
    }

    private static void longs(ArrayNode array, long[] values) {
        for (long v : values) {
            array.add(v);
        }
    }
}
