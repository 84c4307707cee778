package dev.kinema.cli;

import dev.kinema.audio.LogFrequency;
import dev.kinema.audio.MelScale;
import dev.kinema.audio.MelSpectrogram;
import dev.kinema.audio.Spectrogram;
import dev.kinema.audio.Window;
import dev.kinema.io.Npy;
import dev.kinema.video.AudioReader;
import dev.kinema.video.AudioTrack;
import dev.kinema.viz.SpectrogramImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema audio}: the audio front end ({@code dev.kinema.audio}) on any file with sound. */
@Command(name = "audio", mixinStandardHelpOptions = true,
        description = "Audio features of a video's or an audio file's sound track.",
        subcommands = {AudioCommand.Mel.class})
final class AudioCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "mel", mixinStandardHelpOptions = true,
            description = {"A file's sound (channels averaged, resampled to --rate) as a log-mel spectrogram",
                "(torchaudio's MelSpectrogram then log(mel + 1e-6)), or with --log-frequency a log-frequency one,",
                "written as a [bins, frames] float32 .npy and optionally a picture (low frequencies at the bottom)."})
    static final class Mel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "A video or audio file with sound.")
        Path file;

        @Option(names = "--out", required = true, paramLabel = "X.npy", description = "The spectrogram, [bins, frames] float32.")
        Path out;

        @Option(names = "--png", paramLabel = "X.png", description = "Also a picture of it.")
        Path png;

        @Option(names = "--rate", defaultValue = "16000", paramLabel = "HZ", description = "Sample rate (default: ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--n-fft", defaultValue = "400", paramLabel = "N", description = "FFT size (default: ${DEFAULT-VALUE}).")
        int nFft;

        @Option(names = "--win-length", defaultValue = "0", paramLabel = "N", description = "Window length; 0 means n_fft (default).")
        int winLength;

        @Option(names = "--hop", defaultValue = "160", paramLabel = "N", description = "Hop length in samples (default: ${DEFAULT-VALUE}).")
        int hop;

        @Option(names = "--mels", defaultValue = "64", paramLabel = "N", description = "Mel bands (default: ${DEFAULT-VALUE}).")
        int mels;

        @Option(names = "--f-min", defaultValue = "0", paramLabel = "HZ", description = "Lowest frequency (default: ${DEFAULT-VALUE}).")
        double fMin;

        @Option(names = "--f-max", defaultValue = "0", paramLabel = "HZ", description = "Highest frequency; 0 means Nyquist (default).")
        double fMax;

        @Option(names = "--power", defaultValue = "2", paramLabel = "P", description = "2 power, 1 magnitude (default: ${DEFAULT-VALUE}).")
        double power;

        @Option(names = "--mel-scale", defaultValue = "htk", paramLabel = "SCALE", description = "htk or slaney (default: ${DEFAULT-VALUE}).")
        String melScale;

        @Option(names = "--norm", defaultValue = "none", paramLabel = "NORM", description = "none or slaney (default: ${DEFAULT-VALUE}).")
        String norm;

        @Option(names = "--window", defaultValue = "hann", paramLabel = "W", description = "hann, hamming or rectangular (default: ${DEFAULT-VALUE}).")
        String window;

        @Option(names = "--center", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Centre frames with reflection padding (default: on).")
        boolean center;

        @Option(names = "--log", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Take log(x + 1e-6) (default: on).")
        boolean log;

        @Option(names = "--log-frequency", defaultValue = "0", paramLabel = "BINS",
                description = "Instead of mels, this many log-spaced frequencies from rate/n_fft to Nyquist (Sound of Pixels).")
        int logFrequencyBins;

        @Option(names = "--scale", defaultValue = "2", paramLabel = "PX", description = "Pixels per cell of the picture (default: ${DEFAULT-VALUE}).")
        int pixels;

        @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS", description = "Time bound for decoding (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Override
        public Integer call() throws IOException {
            if (!norm.equalsIgnoreCase("none") && !norm.equalsIgnoreCase("slaney")) {
                throw new IllegalArgumentException("--norm must be none or slaney, got " + norm);
            }
            MelSpectrogram mel = MelSpectrogram.builder().optSampleRate(rate).optNFft(nFft).optWinLength(winLength)
                    .optHopLength(hop).optMels(mels).optFMin(fMin).optFMax(fMax).optPower(power)
                    .optScale(MelScale.named(melScale)).optSlaneyNorm(norm.equalsIgnoreCase("slaney"))
                    .optWindow(Window.named(window)).optCenter(center).build();
            AudioTrack track = AudioReader.read(file, rate, true, Duration.ofSeconds(timeoutSeconds));
            float[] mono = track.samples()[0];
            Spectrogram s;
            String what = logFrequencyBins > 0 ? "log-frequency bins" : "mels";
            try {
                s = logFrequencyBins > 0
                        ? LogFrequency.of(mel.stft(), rate, logFrequencyBins).apply(mel.stft().power(mono, power))
                        : mel.apply(mono);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            if (log) {
                s = s.log(MelSpectrogram.LOG_OFFSET);
            }
            Path written = Npy.write(out, s.toTensor());
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "%s: %.2f s at %d Hz -> %d %s x %d frames: %s%n", file, track.durationSeconds(), rate,
                    s.bins(), what, s.frames(), written);
            if (png != null) {
                w.println("picture: " + SpectrogramImage.writePng(s.values(), s.bins(), s.frames(), pixels, png));
            }
            return 0;
        }
    }
}
