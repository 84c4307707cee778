package dev.kinema.cli;

import dev.kinema.recipes.AvLocalize;
import dev.kinema.synth.SoundingObjects;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema av-localize}: where a video's sound comes from, as a heat map over its frames. */
@Command(name = "av-localize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sound-source localisation with a run trained with --task av-correspondence",
            "(av-correspondence): the cosine between the clip's sound and each place of its visual map, drawn",
            "over the frames as a GIF, and its peak on each frame."})
final class AvLocalizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "VIDEO", description = "A video with a sound track.")
    Path video;

    @Option(names = "--run", paramLabel = "RUN", required = true, description = "A run trained with --task av-correspondence.")
    Path run;

    @Option(names = "--gif", paramLabel = "OUT.gif", description = "Write the heat-map overlay GIF.")
    Path gif;

    @Option(names = "--clips", paramLabel = "N", defaultValue = "4",
            description = "Uniformly spaced clips mapped (default: ${DEFAULT-VALUE}).")
    int clips;

    @Option(names = "--boxes", paramLabel = "CSV",
            description = "The sounding object's boxes (kinema synth --sounding-and-silent writes DIR/boxes/NAME.csv): report the hit rate.")
    Path boxes;

    @Option(names = "--json", description = "One JSON object: video, correspondence, peaks [{clip, frame, seconds, x, y, similarity}], hit_rate, chance, gif.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        AvLocalize.Result r = AvLocalize.builder().setRun(run).setVideo(video).optGif(gif).optClips(clips).build().run();
        AvLocalize.Hits hits = boxes == null ? null
                : AvLocalize.hits(r.peaks(), SoundingObjects.readBoxes(boxes), r.width(), r.height());
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("video", video.toString());
            obj.put("correspondence", r.correspondence());
            obj.put("peaks", r.peaks());
            if (hits != null) {
                obj.put("hit_rate", hits.rate());
                obj.put("chance", hits.chance());
            }
            obj.put("gif", r.gif() == null ? null : r.gif().toString());
            o.println(Json.line(obj));
            return 0;
        }
        for (int i = 0; i < r.correspondence().length; i++) {
            final int clip = i;
            o.printf(Locale.ROOT, "clip %d: correspondence %.3f, peaks %s%n", i, r.correspondence()[i],
                    r.peaks().stream().filter(p -> p.clip() == clip)
                            .map(p -> String.format(Locale.ROOT, "(%.0f, %.0f)", p.x(), p.y())).toList());
        }
        if (hits != null) {
            o.printf(Locale.ROOT, "hit rate %.1f%% of %d frames (chance %.1f%%)%n", 100 * hits.rate(), hits.frames(),
                    100 * hits.chance());
        }
        if (r.gif() != null) {
            o.println("wrote " + r.gif());
        }
        return 0;
    }
}
