package dev.kinema.cli;

import dev.kinema.eval.separation.BssEval;
import dev.kinema.video.AudioReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kinema metrics separation}: BSS Eval v3 of separated sources ({@code dev.kinema.eval.separation.BssEval}). */
@Command(name = "separation", mixinStandardHelpOptions = true,
        description = {"Source separation metrics as mir_eval's bss_eval_sources: SDR, SIR, SAR (dB) per source,",
            "the estimates matched to the references by the permutation of highest mean SIR;",
            "with --mixture also NSDR (SDR minus the mixture's SDR). Files are read mono at --rate."})
final class MetricsSeparationCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--reference", required = true, split = ",", paramLabel = "A.wav,B.wav", description = "The true sources.")
    List<Path> references;

    @Option(names = "--estimate", required = true, split = ",", paramLabel = "X.wav,Y.wav", description = "The separated sources, any order.")
    List<Path> estimates;

    @Option(names = "--mixture", paramLabel = "MIX.wav", description = "The mixture, for NSDR.")
    Path mixture;

    @Option(names = "--rate", defaultValue = "16000", paramLabel = "HZ", description = "Sample rate to read at (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Override
    public Integer call() {
        if (references.size() != estimates.size()) {
            throw new IllegalArgumentException(references.size() + " references but " + estimates.size() + " estimates");
        }
        float[][] refs = read(references);
        float[][] est = read(estimates);
        BssEval.WithMixture scored = mixture == null ? null : BssEval.evaluate(refs, est, read(List.of(mixture))[0]);
        BssEval.Result r = scored == null ? BssEval.evaluate(refs, est, true) : scored.result();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("metric", "bss_eval_sources");
            o.put("references", references.stream().map(Path::toString).toList());
            o.put("estimates", estimates.stream().map(Path::toString).toList());
            o.put("permutation", r.permutation());
            o.put("sdr", round(r.sdr()));
            o.put("sir", round(r.sir()));
            o.put("sar", round(r.sar()));
            if (scored != null) {
                o.put("mixture_sdr", round(scored.mixtureSdr()));
                o.put("nsdr", round(scored.nsdr()));
            }
            o.put("mean", Map.of("sdr", round(r.meanSdr()), "sir", round(r.meanSir()), "sar", round(r.meanSar())));
            out.println(Json.line(o));
            return 0;
        }
        out.printf(Locale.ROOT, "BSS Eval v3 (mir_eval bss_eval_sources), %d sources at %d Hz%n", refs.length, rate);
        for (int j = 0; j < refs.length; j++) {
            out.printf(Locale.ROOT, "  %s <- %s  SDR %7.2f dB  SIR %7.2f dB  SAR %7.2f dB%s%n", references.get(j),
                    estimates.get(r.permutation()[j]), r.sdr()[j], r.sir()[j], r.sar()[j],
                    scored == null ? "" : String.format(Locale.ROOT, "  NSDR %7.2f dB", scored.nsdr()[j]));
        }
        out.printf(Locale.ROOT, "  mean SDR %.2f dB  SIR %.2f dB  SAR %.2f dB%s%n", r.meanSdr(), r.meanSir(), r.meanSar(),
                scored == null ? "" : String.format(Locale.ROOT, "  NSDR %.2f dB", scored.meanNsdr()));
        return 0;
    }

    private float[][] read(List<Path> files) {
        float[][] out = new float[files.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = AudioReader.read(files.get(i), rate, true, Duration.ofSeconds(120)).samples()[0];
        }
        int length = out[0].length;
        for (int i = 1; i < out.length; i++) {
            if (out[i].length != length) {
                throw new IllegalArgumentException(files.get(i) + ": " + out[i].length + " samples at " + rate + " Hz, but "
                        + files.get(0) + " has " + length + "; sources must be equally long");
            }
        }
        return out;
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
    }

    static double[] round(double[] v) {
        return Arrays.stream(v).map(MetricsSeparationCommand::round).toArray();
    }
}
