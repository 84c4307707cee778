package dev.kinema.explain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.io.AtomicFiles;
import dev.kinema.video.VideoFrames;
import dev.kinema.viz.ContactSheet;
import dev.kinema.viz.GifWriter;
import dev.kinema.viz.Heatmaps;
import dev.kinema.viz.Html;
import dev.kinema.viz.LineChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The files of one Grad-CAM explanation, in one folder:
 * <ul>
 *   <li>{@code gradcam.gif}: each clip as the model saw it, its Grad-CAM and its saliency over it,
 *       side by side, the clips one after another;</li>
 *   <li>{@code timeline.png}: the maps' mean per frame against the frame's time in the video;</li>
 *   <li>{@code gradcam.json}: the class, the layer, the top classes and per clip the per-frame
 *       scores;</li>
 *   <li>{@code frames.png}: the input frames, {@code flow.gif} for a two-stream model's flow;</li>
 *   <li>{@code index.html}: the page showing all of it.</li>
 * </ul>
 * The pictures are drawn by {@code viz} (no plotting library): {@link Heatmaps}, {@link LineChart},
 * {@link ContactSheet}, {@link GifWriter}.
 */
public final class ExplanationFiles {
    public static final String GIF = "gradcam.gif";
    public static final String TIMELINE = "timeline.png";
    public static final String JSON = "gradcam.json";
    public static final String FRAMES = "frames.png";
    public static final String FLOW = "flow.gif";
    public static final String PAGE = "index.html";
    /** How much of the heat map's colour is blended over a frame. */
    static final double ALPHA = 0.5;

    private ExplanationFiles() {}

    /** The files written, by name. */
    public record Written(Path dir, Path gif, Path timeline, Path json, Path page) {}

    /** Writes the explanation's files into {@code dir} (created if needed). */
    public static Written write(VideoExplainer.Explanation e, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<VideoFrames> panels = new ArrayList<>();
        List<VideoFrames> flows = new ArrayList<>();
        List<VideoFrames> inputs = new ArrayList<>();
        for (VideoExplainer.ClipExplanation c : e.clips()) {
            VideoFrames input = c.frames();
            int factor = Math.max(1, 160 / input.width());
            panels.add(Heatmaps.enlarge(Heatmaps.sideBySide(input, Heatmaps.overlay(input, c.gradcam().map(), ALPHA),
                    Heatmaps.overlay(input, c.saliency(), ALPHA)), factor));
            inputs.add(Heatmaps.enlarge(input, Math.max(1, 112 / input.width())));
            if (c.flow() != null) {
                VideoFrames flow = c.flowGradcam() == null ? Heatmaps.sideBySide(input, c.flow())
                        : Heatmaps.sideBySide(input, c.flow(), Heatmaps.overlay(c.flow(), c.flowGradcam().map(), ALPHA));
                flows.add(Heatmaps.enlarge(flow, factor));
            }
        }
        Path gif = new GifWriter(4).write(VideoFrames.concat(panels), dir.resolve(GIF));
        ContactSheet.builder().optColumns(Math.min(8, inputs.get(0).frames())).build()
                .write(VideoFrames.concat(inputs), dir.resolve(FRAMES));
        if (!flows.isEmpty()) {
            new GifWriter(4).write(VideoFrames.concat(flows), dir.resolve(FLOW));
        }
        Path timeline = timeline(e).writePng(dir.resolve(TIMELINE));
        Path json = AtomicFiles.write(dir.resolve(JSON), out -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out, json(e)));
        Path page = AtomicFiles.write(dir.resolve(PAGE), out -> out.write(page(e, !flows.isEmpty()).getBytes(StandardCharsets.UTF_8)));
        return new Written(dir, gif, timeline, json, page);
    }

    /** Per-frame Grad-CAM and saliency means against time in the video; one pair of lines per clip. */
    static LineChart timeline(VideoExplainer.Explanation e) {
        LineChart.Builder chart = LineChart.builder()
                .setTitle("Per-frame importance for " + e.target() + " (" + e.model() + ")")   // the page names the layer
                .optAxisLabels("time in the video (s)", "mean of the map").optYRange(0, 1).optSize(720, 300);
        int k = 0;
        for (VideoExplainer.ClipExplanation c : e.clips()) {
            double[] times = times(c);
            String suffix = e.clips().size() > 1 ? " clip " + c.source().clipIndex() : "";
            chart.addSeries("Grad-CAM" + suffix, times, c.gradcam().perFrame(), LineChart.PALETTE.get((2 * k) % LineChart.PALETTE.size()));
            chart.addSeries("saliency" + suffix, times, c.saliencyPerFrame(),
                    LineChart.PALETTE.get((2 * k + 1) % LineChart.PALETTE.size()));
            if (c.flowGradcam() != null) {
                chart.addSeries("Grad-CAM flow" + suffix, times, c.flowGradcam().perFrame(),
                        LineChart.PALETTE.get((2 * k + 2) % LineChart.PALETTE.size()));
                k++;
            }
            k++;
        }
        return chart.build();
    }

    /** The times of a clip's frames in the video; when unknown, spread over the clip's span. */
    private static double[] times(VideoExplainer.ClipExplanation c) {
        int n = c.gradcam().frames();
        double[] out = new double[n];
        double start = c.source().startSeconds();
        double end = c.source().endSeconds();
        for (int t = 0; t < n; t++) {
            double known = t < c.frames().frames() ? c.frames().timestamp(t) : Double.NaN;
            out[t] = Double.isFinite(known) ? known : start + (end - start) * t / n;
        }
        return out;
    }

    static ObjectNode json(VideoExplainer.Explanation e) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("video", e.video().toString());
        root.put("model", e.model());
        root.put("layer", e.layer());
        root.put("class", e.target());
        ArrayNode top = root.putArray("top");
        for (VideoClassifier.LabelProbability p : e.top()) {
            top.addObject().put("label", p.label()).put("probability", p.probability());
        }
        ArrayNode clips = root.putArray("clips");
        for (VideoExplainer.ClipExplanation c : e.clips()) {
            ObjectNode clip = clips.addObject();
            clip.put("index", c.source().clipIndex());
            clip.put("start", c.source().startSeconds());
            clip.put("end", c.source().endSeconds());
            clip.put("score", c.gradcam().score());
            clip.put("layer_shape", c.gradcam().layerShape().toString());
            ArrayNode frames = clip.putArray("frames");
            double[] times = times(c);
            double[] cam = c.gradcam().perFrame();
            double[] sal = c.saliencyPerFrame();
            double[] flowCam = c.flowGradcam() != null ? c.flowGradcam().perFrame() : null;
            int[] indices = c.source().frameIndices();
            for (int t = 0; t < cam.length; t++) {
                ObjectNode f = frames.addObject();
                if (t < indices.length) {
                    f.put("frame", indices[t]);
                }
                f.put("time", times[t]);
                f.put("gradcam", cam[t]);
                f.put("saliency", sal[t]);
                if (flowCam != null) {
                    f.put("gradcam_flow", flowCam[t]);
                }
            }
        }
        return root;
    }

    static String page(VideoExplainer.Explanation e, boolean flow) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Explanation: ")
                .append(Html.escape(e.target())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:60em}"
                        + "img{image-rendering:pixelated;max-width:100%}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}</style></head><body>\n");
        b.append("<h1>Why <code>").append(Html.escape(e.model())).append("</code> says <em>")
                .append(Html.escape(e.target())).append("</em></h1>\n");
        b.append("<p>Video <code>").append(Html.escape(e.video().toString())).append("</code>, ")
                .append(e.clips().size()).append(e.clips().size() == 1 ? " clip" : " clips")
                .append(". Grad-CAM at layer <code>").append(Html.escape(e.layer())).append("</code>.</p>\n");
        b.append("<h2>Top classes</h2>\n<table><tr><th>class</th><th>probability</th></tr>\n");
        for (VideoClassifier.LabelProbability p : e.top()) {
            b.append("<tr><td>").append(Html.escape(p.label())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100 * p.probability())).append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Input frames</h2>\n<img src=\"").append(FRAMES).append("\" alt=\"input frames\">\n");
        b.append("<h2>Overlays</h2>\n<p>Left to right: the clip, its Grad-CAM, its saliency (|∂score/∂input|, max over"
                + " channels); jet colours, red is most important.</p>\n<img src=\"").append(GIF)
                .append("\" alt=\"Grad-CAM and saliency overlays\">\n");
        if (flow) {
            b.append("<h2>Optical flow</h2>\n<p>Left to right: the frames, the temporal stream's input on the colour"
                    + " wheel (hue: direction, saturation: speed)")
                    .append(e.clips().get(0).flowGradcam() != null ? ", the temporal stream's Grad-CAM over it" : "")
                    .append(".</p>\n<img src=\"").append(FLOW).append("\" alt=\"optical flow\">\n");
        }
        b.append("<h2>Timeline</h2>\n<img src=\"").append(TIMELINE).append("\" alt=\"per-frame importance\">\n");
        b.append("<p>Per-frame scores: <a href=\"").append(JSON).append("\">").append(JSON).append("</a></p>\n");
        b.append("</body></html>\n");
        return b.toString();
    }
}
