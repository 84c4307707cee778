package dev.kinema.cli;

import dev.kinema.eval.separation.BssEval;
import dev.kinema.recipes.Separate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kinema separate}: two videos' sounds separated by a mix-and-separate run ({@code recipes.Separate}). */
@Command(name = "separate", mixinStandardHelpOptions = true,
        description = {"Visually guided source separation (The Sound of Pixels) with a mix-and-separate run:",
            "mixes the two videos' solo sounds (the WAV beside each video, else its own track) or takes --mixture,",
            "separates one window (1.01 s from the start) by each video's frames, and writes DIR/a.wav, DIR/b.wav,",
            "DIR/mixture.wav and DIR/spectrogram.png (mixture, mask a, mask b, separated a, separated b). Without",
            "--mixture the videos' own sounds are the references (DIR/a-reference.wav, DIR/b-reference.wav),",
            "and SDR/SIR/SAR/NSDR (BSS Eval v3) are printed."})
final class SeparateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VIDEO_A", description = "The first video.")
    Path videoA;

    @Parameters(index = "1", paramLabel = "VIDEO_B", description = "The second video.")
    Path videoB;

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "A mix-and-separate run directory.")
    Path run;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where a.wav, b.wav and spectrogram.png go.")
    Path out;

    @Option(names = "--mixture", paramLabel = "WAV", description = "A real recording of both, instead of mixing their sounds.")
    Path mixture;

    @Option(names = "--json", description = "One JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Separate.Result r = new Separate(run, videoA, videoB, out, mixture).run();
        PrintWriter w = spec.commandLine().getOut();
        BssEval.WithMixture m = r.metrics();
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("a", r.a().toString());
            o.put("b", r.b().toString());
            o.put("spectrogram", r.png().toString());
            if (m != null) {
                o.put("permutation", m.result().permutation());
                o.put("sdr", MetricsSeparationCommand.round(m.result().sdr()));
                o.put("sir", MetricsSeparationCommand.round(m.result().sir()));
                o.put("sar", MetricsSeparationCommand.round(m.result().sar()));
                o.put("nsdr", MetricsSeparationCommand.round(m.nsdr()));
            }
            w.println(Json.line(o));
            return 0;
        }
        w.printf(Locale.ROOT, "wrote %s, %s and %s%n", r.a(), r.b(), r.png());
        if (m != null) {
            Path[] videos = {videoA, videoB};
            for (int j = 0; j < 2; j++) {
                w.printf(Locale.ROOT, "  %s  SDR %7.2f dB  SIR %7.2f dB  SAR %7.2f dB  NSDR %7.2f dB%n", videos[j],
                        m.result().sdr()[j], m.result().sir()[j], m.result().sar()[j], m.nsdr()[j]);
            }
            w.printf(Locale.ROOT, "  mean SDR %.2f dB  SIR %.2f dB  SAR %.2f dB  NSDR %.2f dB%n", m.result().meanSdr(),
                    m.result().meanSir(), m.result().meanSar(), m.meanNsdr());
        }
        return 0;
    }
}
