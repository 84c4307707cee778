package dev.kinema.cli;

import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaCsv;
import dev.kinema.persons.PersonDetector;
import dev.kinema.persons.PersonTraining;
import dev.kinema.recipes.Detect;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema detect}: who does what where, per keyframe, with a trained RoI action model. */
@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Spatio-temporal action detection: on each keyframe (whole second) with person boxes, every",
            "box's actions and their sigmoid scores, from a run trained with --task action-detection (e.g.",
            "roi-tiny-3d on kinema synth --multi-actor). Person boxes come from an AVA CSV (ground truth or",
            "proposals); --out draws the boxes and actions on the keyframes as a GIF."})
final class DetectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "VIDEO", arity = "0..*", description = "Videos; a file name without its extension is its AVA video_id.")
    List<Path> videos;

    @Option(names = "--run", paramLabel = "RUN", description = "A run trained with --task action-detection.")
    Path run;

    @Option(names = "--boxes", paramLabel = "FILE",
            description = "Person boxes: AVA ground truth (video_id,timestamp,x1,y1,x2,y2,action_id[,person_id]) or proposals (video_id,timestamp,x1,y1,x2,y2[,score]).")
    Path boxes;

    @Option(names = "--persons", paramLabel = "FILE",
            description = "Without --boxes: the person detector (written by --fit-persons) finds the boxes on every whole second.")
    Path persons;

    @Option(names = "--fit-persons", paramLabel = "DIR",
            description = {"Instead of detecting: fit the person detector on the AVA folder DIR's training keyframes,",
                "print its person AP@0.5 on the other splits, and save it to --persons."})
    Path fitPersons;

    @Option(names = "--person-epochs", paramLabel = "N", defaultValue = "40",
            description = "Person detector training epochs (default: ${DEFAULT-VALUE}).")
    int personEpochs;

    @Option(names = "--person-nms", paramLabel = "IOU", defaultValue = "" + PersonTraining.NMS_IOU,
            description = "The person detector's class-agnostic box NMS: a box whose IoU with a higher-scored box of its keyframe"
                    + " is above IOU is dropped (torchvision.ops.nms); 1 keeps every heatmap peak (default: ${DEFAULT-VALUE},"
                    + " chosen on validation data: the detector's second peaks on one figure mostly overlap the first by IoU 0.3-0.5)."
                    + " Also applies to the AP --fit-persons prints.")
    double personNms;

    @Option(names = "--label-map", paramLabel = "PBTXT", description = "AVA label map giving the run's labels their action ids (default: positions from 1).")
    Path labelMap;

    @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.5",
            description = "Actions shown from this score (the best one always is; --json lists all; default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--out", paramLabel = "GIF", description = "Write the keyframes with boxes and actions drawn on, one frame a second (one VIDEO only).")
    Path out;

    @Option(names = "--predictions", paramLabel = "PRED.csv",
            description = "Also write every box's every action with its score as AVA detections (for kinema metrics ava).")
    Path predictions;

    @Option(names = "--json", description = "One JSON object: video, keyframes [{timestamp, actors [{person, box, actions [{id, label, score}]}]}], overlay.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!(personNms >= 0 && personNms <= 1)) {
            throw new ParameterException(spec.commandLine(), "--person-nms must be an IoU in [0, 1] (1: no NMS), got " + personNms);
        }
        if (fitPersons != null) {
            return fitPersons();
        }
        if (run == null || videos == null || videos.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give VIDEO... and --run RUN (or --fit-persons DIR --persons FILE)");
        }
        if (out != null && videos.size() > 1) {
            throw new ParameterException(spec.commandLine(), "--out draws one video; give one VIDEO or leave --out out");
        }
        List<ActorBox> all = new ArrayList<>();
        for (Path video : videos) {
            Detect.Result result = Detect.builder().setRun(run).setVideo(video).optBoxes(boxes).optPersons(persons).optPersonNms(personNms)
                    .optLabelMap(labelMap).optThreshold(threshold).optOverlay(out).build().run();
            all.addAll(result.detections());
            print(result);
        }
        if (predictions != null) {
            AvaCsv.write(predictions, all, true);
            spec.commandLine().getOut().println("wrote " + all.size() + " detections to " + predictions);
        }
        return 0;
    }

    private int fitPersons() throws IOException {
        if (persons == null) {
            throw new ParameterException(spec.commandLine(), "--fit-persons needs --persons FILE to save the detector to");
        }
        PersonTraining.Result result = PersonTraining.run(fitPersons, personEpochs, 2e-3, 0, personNms);
        try (PersonDetector detector = result.detector()) {
            detector.save(persons);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "fitted on %d keyframes; saved %s%n", result.keyframes(), persons);
        result.apBySplit().forEach((split, ap) -> o.printf(Locale.ROOT, "person AP@0.5 on %s: %.2f%%%n", split, 100 * ap));
        return 0;
    }

    private void print(Detect.Result result) {
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("video", result.videoId());
            obj.put("keyframes", result.keyframes().stream().map(k -> Map.of("timestamp", k.timestamp(), "actors",
                    k.actors().stream().map(a -> {
                        Map<String, Object> actor = new LinkedHashMap<>();
                        actor.put("person", a.personId());
                        actor.put("box", List.of(a.x1(), a.y1(), a.x2(), a.y2()));
                        actor.put("actions", a.actions());
                        return actor;
                    }).toList())).toList());
            obj.put("overlay", result.overlay());
            o.println(Json.line(obj));
            return;
        }
        for (Detect.Keyframe k : result.keyframes()) {
            o.printf(Locale.ROOT, "%s @ %ds%n", result.videoId(), k.timestamp());
            for (Detect.Actor a : k.actors()) {
                o.printf(Locale.ROOT, "  person %d [%.3f %.3f %.3f %.3f]: %s%n", a.personId(), a.x1(), a.y1(), a.x2(), a.y2(),
                        a.shown(threshold).stream().map(x -> String.format(Locale.ROOT, "%s %.2f", x.label(), x.score()))
                                .collect(Collectors.joining(", ")));
            }
        }
        if (result.overlay() != null) {
            o.println("wrote " + result.overlay());
        }
    }
}
