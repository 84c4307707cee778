package dev.kinema.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the tensor names of a checkpoint from another library become Kinema's parameter names
 * ({@link ParameterNames}): a short list of rewrite rules, applied in order, each at most once.
 * Every mapping first drops a leading {@code module.}, the prefix {@code torch.nn.DataParallel}
 * and {@code DistributedDataParallel} add to every name.
 *
 * <ul>
 *   <li>{@code torchvision}: names unchanged. Kinema's models name their blocks like the reference
 *       implementation's modules, so a {@code state_dict} from torchvision (or from any library
 *       whose module tree Kinema mirrors) already has Kinema's names.
 *   <li>{@code pytorchvideo}: drops a leading {@code model.}, the attribute PyTorchVideo's
 *       Lightning training modules keep the network in; the PyTorchVideo model zoo's own names
 *       ({@code blocks.0.conv...}) are unchanged.
 *   <li>{@code mmaction2}: MMAction2's recognisers with a torchvision-shaped 3D ResNet backbone:
 *       {@code backbone.conv1.conv/bn} is {@code stem.0/1}, every {@code ConvModule}'s
 *       {@code conv/bn} inside a block ({@code convK}, {@code downsample}) is {@code 0/1}, the rest
 *       of {@code backbone.} is dropped, and {@code cls_head.fc_cls} is {@code fc}.
 *   <li>{@code mmaction2-2d}: MMAction2's recognisers with a 2D ResNet backbone ({@code ResNet},
 *       {@code ResNetTSM}: TSN, TSM) onto torchvision's ResNet names ({@code tsm_r18},
 *       {@code tsm_r50}): {@code backbone.conv1.conv/bn} is {@code conv1}/{@code bn1}, a block's
 *       {@code convK.conv/bn} is {@code convK}/{@code bnK}, {@code downsample.conv/bn} is
 *       {@code downsample.0/1}, TSM's shift wrapper ({@code .net}, around {@code conv1.conv} or
 *       around a whole block) is dropped, and {@code cls_head.fc_cls} is {@code fc}.
 *   <li>{@code tsm}: the TSM authors' code (mit-han-lab/temporal-shift-module), a TSN wrapper
 *       around torchvision's ResNet: {@code base_model.} is dropped, so is the shift wrapper
 *       ({@code .net}), and {@code new_fc} (the classifier after dropout) is {@code fc}.
 * </ul>
 *
 * <p>Nothing is guessed: a name that no rule changes stays as it is, and a name that matches no
 * parameter is reported as unexpected by the {@link WeightLoader}.
 *
 * @param name the mapping's name, as {@code --mapping} takes it
 * @param description one line on what it maps
 * @param rules the rules after the common {@code module.} rule
 */
public record NameMapping(String name, String description, List<Rule> rules) {
    /** Replaces the first match of {@code pattern} with {@code replacement} ({@code $1} for groups). */
    public record Rule(Pattern pattern, String replacement) {
        public Rule {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(replacement, "replacement");
        }

        public static Rule of(String regex, String replacement) {
            return new Rule(Pattern.compile(regex), replacement);
        }

        /** {@code name} rewritten, or {@code name} itself when the pattern does not match. */
        public String apply(String name) {
            Matcher m = pattern.matcher(name);
            return m.find() ? m.replaceFirst(replacement) : name;
        }

        @Override
        public String toString() {
            return pattern.pattern() + " -> " + replacement;
        }
    }

    /** The DataParallel wrapper's prefix, dropped by every mapping. */
    public static final Rule DATA_PARALLEL = Rule.of("^module\\.", "");

    public static final NameMapping TORCHVISION = new NameMapping("torchvision",
            "names as in torchvision's state_dict (identity)", List.of());

    public static final NameMapping PYTORCHVIDEO = new NameMapping("pytorchvideo",
            "PyTorchVideo: model zoo names unchanged, a Lightning module's 'model.' prefix dropped",
            List.of(Rule.of("^model\\.", "")));

    public static final NameMapping MMACTION2 = new NameMapping("mmaction2",
            "MMAction2 recogniser with a torchvision-shaped ResNet3d backbone: backbone.*, cls_head.fc_cls",
            List.of(
                    Rule.of("^backbone\\.conv1\\.conv\\.", "stem.0."),
                    Rule.of("^backbone\\.conv1\\.bn\\.", "stem.1."),
                    Rule.of("^backbone\\.(layer\\d+\\.\\d+\\.(?:conv\\d+|downsample))\\.conv\\.", "$1.0."),
                    Rule.of("^backbone\\.(layer\\d+\\.\\d+\\.(?:conv\\d+|downsample))\\.bn\\.", "$1.1."),
                    Rule.of("^backbone\\.", ""),
                    Rule.of("^cls_head\\.fc_cls\\.", "fc.")));

    public static final NameMapping MMACTION2_2D = new NameMapping("mmaction2-2d",
            "MMAction2 recogniser with a 2D ResNet backbone (ResNet, ResNetTSM) onto torchvision's ResNet names",
            List.of(
                    Rule.of("^(backbone\\.layer\\d+\\.\\d+)\\.net\\.", "$1."),
                    Rule.of("^(backbone\\.layer\\d+\\.\\d+\\.conv1\\.conv)\\.net\\.", "$1."),
                    Rule.of("^backbone\\.conv1\\.conv\\.", "conv1."),
                    Rule.of("^backbone\\.conv1\\.bn\\.", "bn1."),
                    Rule.of("^backbone\\.(layer\\d+\\.\\d+)\\.conv(\\d+)\\.conv\\.", "$1.conv$2."),
                    Rule.of("^backbone\\.(layer\\d+\\.\\d+)\\.conv(\\d+)\\.bn\\.", "$1.bn$2."),
                    Rule.of("^backbone\\.(layer\\d+\\.\\d+\\.downsample)\\.conv\\.", "$1.0."),
                    Rule.of("^backbone\\.(layer\\d+\\.\\d+\\.downsample)\\.bn\\.", "$1.1."),
                    Rule.of("^cls_head\\.fc_cls\\.", "fc.")));

    public static final NameMapping TSM = new NameMapping("tsm",
            "TSM authors' code (mit-han-lab/temporal-shift-module): base_model.*, the shift's .net, new_fc",
            List.of(
                    Rule.of("^base_model\\.", ""),
                    Rule.of("^(layer\\d+\\.\\d+\\.conv1)\\.net\\.", "$1."),
                    Rule.of("^(layer\\d+\\.\\d+)\\.net\\.", "$1."),
                    Rule.of("^new_fc\\.", "fc.")));

    private static final List<NameMapping> ALL = List.of(TORCHVISION, PYTORCHVIDEO, MMACTION2, MMACTION2_2D, TSM);

    public NameMapping {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        rules = List.copyOf(rules);
    }

    /** Every built-in mapping. */
    public static List<NameMapping> all() {
        return ALL;
    }

    /** The built-in mapping called {@code name} (case-insensitive). */
    public static NameMapping named(String name) {
        Optional<NameMapping> m = ALL.stream().filter(x -> x.name().equals(name.toLowerCase(Locale.ROOT))).findFirst();
        return m.orElseThrow(() -> new IllegalArgumentException("unknown mapping '" + name + "'; known: "
                + String.join(", ", ALL.stream().map(NameMapping::name).toList())));
    }

    /** The Kinema name for a checkpoint's tensor name. */
    public String apply(String checkpointName) {
        String n = DATA_PARALLEL.apply(checkpointName);
        for (Rule r : rules) {
            n = r.apply(n);
        }
        return n;
    }

    /** Every rule, the common one first. */
    public List<Rule> allRules() {
        List<Rule> l = new ArrayList<>();
        l.add(DATA_PARALLEL);
        l.addAll(rules);
        return l;
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(allRules().toArray());
    }
}
