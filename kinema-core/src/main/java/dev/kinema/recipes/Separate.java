package dev.kinema.recipes;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.kinema.audio.SeparationSpectra;
import dev.kinema.audio.Spectrogram;
import dev.kinema.audio.WavFiles;
import dev.kinema.data.loader.Clip;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.eval.separation.BssEval;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.separation.SoundOfPixels;
import dev.kinema.tasks.MixAndSeparateTask;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.video.AudioReader;
import dev.kinema.video.AudioTrack;
import dev.kinema.viz.Images;
import dev.kinema.viz.SpectrogramImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Separates the sounds of two videos with a {@code mix-and-separate} run: each video's centre clip
 * (the run's input) tells the model which sound is whose. The mixture is the sum of the two videos'
 * solo sounds (their WAVs beside them, else their own tracks), or a real recording given with
 * {@code mixture}; one window of it ({@link SeparationSpectra#samples()}, from its start) is
 * separated. Writes {@code a.wav} and {@code b.wav}, {@code mixture.wav} (the window separated) and
 * {@code spectrogram.png} (rows: mixture, mask a, mask b, separated a, separated b; log-frequency,
 * low at the bottom); with the solo sounds as references (no {@code mixture} given), also
 * {@code a-reference.wav} and {@code b-reference.wav}, and it scores the estimates with BSS Eval.
 *
 * @param runDirectory the mix-and-separate run
 * @param videoA the first video
 * @param videoB the second video
 * @param out the folder written to
 * @param mixture a recording of both, or null to mix the videos' own sounds
 */
public record Separate(Path runDirectory, Path videoA, Path videoB, Path out, Path mixture) {
    public static final String PNG = "spectrogram.png";
    /** The window that was separated, and the videos' solo sounds over it (what the scores compare with). */
    public static final String MIXTURE = "mixture.wav";
    public static final String REFERENCE_A = "a-reference.wav";
    public static final String REFERENCE_B = "b-reference.wav";

    /** What was written and, when the videos' solo sounds were the references, how well it separated. */
    public record Result(Path a, Path b, Path png, BssEval.WithMixture metrics) {}

    public Result run() throws IOException {
        for (Path v : new Path[] {videoA, videoB, mixture}) {
            if (v != null && !Files.isRegularFile(v)) {
                throw new IllegalArgumentException(v + ": no such file");
            }
        }
        RunDir dir = RunDir.open(runDirectory).requireTask("separation", MixAndSeparateTask.NAME, MixAndSeparateTask.RATIO_NAME);
        MixAndSeparateTask separator = new MixAndSeparateTask(2, false);
        SeparationSpectra spectra = separator.spectra();
        float[][] references = null;
        float[] mix;
        if (mixture == null) {
            references = new float[][] {spectra.window(SeparationSpectra.readSolo(videoA), 0),
                spectra.window(SeparationSpectra.readSolo(videoB), 0)};
            mix = SeparationSpectra.mix(references);
        } else {
            AudioTrack track = AudioReader.read(mixture, SeparationSpectra.SAMPLE_RATE, true, Duration.ofSeconds(60));
            if (track.length() == 0) {
                throw new IllegalArgumentException(mixture + ": no audio");
            }
            mix = spectra.window(track.samples()[0], 0);
        }
        // The run's head has K channels whatever its labels: build it as the task trained it.
        ModelFactory factory = (name, classes, frames, size) -> ModelRegistry.create(name, ModelConfig.builder()
                .setNumClasses(separator.outputs()).optFrames(frames).optSize(size).build());
        MixAndSeparateTask.Separation separation;
        try (Model model = Model.newInstance(dir.config().model())) {
            Block block = dir.loadModel(model.getNDManager(), factory);
            VideoClassifier clips = new VideoClassifier(block, dir.input(), dir.labels());
            List<Clip> centre = new ArrayList<>(clips.centreClips(videoA, 1));
            centre.addAll(clips.centreClips(videoB, 1));
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray x = dir.input().collate().collate(0, centre).data(manager);
                separation = separator.separate(block, x, mix);
            }
        }
        Files.createDirectories(out);
        Path a = WavFiles.write(out.resolve("a.wav"), separation.estimates()[0], SeparationSpectra.SAMPLE_RATE);
        Path b = WavFiles.write(out.resolve("b.wav"), separation.estimates()[1], SeparationSpectra.SAMPLE_RATE);
        Path png = picture(spectra, separation, out.resolve(PNG));
        WavFiles.write(out.resolve(MIXTURE), mix, SeparationSpectra.SAMPLE_RATE);
        if (references != null) {
            WavFiles.write(out.resolve(REFERENCE_A), references[0], SeparationSpectra.SAMPLE_RATE);
            WavFiles.write(out.resolve(REFERENCE_B), references[1], SeparationSpectra.SAMPLE_RATE);
        }
        BssEval.WithMixture metrics = references == null ? null : BssEval.evaluate(references, separation.estimates(), mix);
        return new Result(a, b, png, metrics);
    }

    /** Mixture, the two masks and the two separated sounds, stacked, each row 64 log bins by 64 frames at scale 3. */
    private static Path picture(SeparationSpectra spectra, MixAndSeparateTask.Separation s, Path png) {
        int rows = spectra.logBins();
        int cols = spectra.frames();
        List<float[]> planes = new ArrayList<>();
        planes.add(s.mixture().log(SeparationSpectra.LOG_OFFSET).values());
        planes.add(s.masks()[0]);
        planes.add(s.masks()[1]);
        for (float[] wave : s.estimates()) {
            Spectrogram separated = spectra.logMagnitude(spectra.transform(wave));
            planes.add(separated.log(SeparationSpectra.LOG_OFFSET).values());
        }
        int scale = 3;
        int gap = 4;
        BufferedImage sheet = new BufferedImage(cols * scale, planes.size() * (rows * scale + gap) - gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            for (int i = 0; i < planes.size(); i++) {
                g.drawImage(SpectrogramImage.render(planes.get(i), rows, cols, scale), 0, i * (rows * scale + gap), null);
            }
        } finally {
            g.dispose();
        }
        return Images.writePng(sheet, png);
    }
}
