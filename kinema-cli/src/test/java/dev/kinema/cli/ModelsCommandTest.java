package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.models.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelsCommandTest {
    @Test
    void listsEveryModelWithItsDefaultInput() throws Exception {
        CliRun run = CliRun.of("models");
        assertEquals(0, run.exitCode(), run.err());
        for (String name : ModelRegistry.listModels()) {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith(name + " ")), name + " missing from\n" + run.out());
        }
        assertTrue(run.out().lines().anyMatch(l -> l.matches("c3d +3x16x112x112 +- +C3D .*")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("single-frame +3x8x112x112 +small, resnet18 +2D CNN .*")), run.out());

        JsonNode json = Json.MAPPER.readTree(CliRun.of("models", "--json").out());
        List<String> names = new ArrayList<>();
        json.get("models").forEach(m -> names.add(m.get("name").asText()));
        assertEquals(ModelRegistry.listModels(), names);
        JsonNode toy = json.get("models").get(names.indexOf("toy-3d"));
        assertEquals("[3,20,64,64]", toy.get("default_input").toString());
        assertTrue(toy.get("backbones").isEmpty());
    }

    @Test
    void printsTheLecturesToyTable() {
        CliRun run = CliRun.of("models", "toy-3d");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("toy-3d: input 3x20x64x64, 10 classes", lines.get(0));
        assertTrue(lines.get(2).matches("input +3 x 20 x 64 x 64"), lines.get(2));
        String[][] lecture = {
            {"conv1", "Conv3D\\(3x3x3, 3->12\\)", "12 x 20 x 64 x 64", "3 x 3 x 3"},
            {"pool1", "MaxPool3D\\(4x4x4\\)", "12 x 5 x 16 x 16", "6 x 6 x 6"},
            {"conv2", "Conv3D\\(3x3x3, 12->24\\)", "24 x 5 x 16 x 16", "14 x 14 x 14"},
            {"pool", "GlobalAvgPool", "24 x 1 x 1 x 1", "20 x 64 x 64"},
        };
        for (int i = 0; i < lecture.length; i++) {
            String[] r = lecture[i];
            String line = lines.get(3 + i);
            assertTrue(line.matches(r[0] + " +" + r[1] + " +" + r[2] + " +[0-9,]+ +[0-9.]+( [KMG])? +" + r[3]), line);
        }
        // params (3*12*27 + 2*12) + (12*24*27 + 2*24) + (24*10 + 10); MACs 12*20*64*64*81 + 24*5*16*16*324 + 240
        assertTrue(lines.get(8).matches("total +9,070 +89\\.58 M"), lines.get(8));
        // The card a run of it gets records the same size and cost.
        assertTrue(run.out().contains("rgb clips of 20 frames, stride 4, 64x64 crops of frames resized to 73; params 9,070,"
                + " MACs 89.58 M per clip"), run.out());
    }

    @Test
    void c3dTableAsJson() throws Exception {
        CliRun run = CliRun.of("models", "c3d", "--input", "3x16x112x112", "--classes", "487", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode j = Json.MAPPER.readTree(run.out());
        assertEquals("c3d", j.get("model").asText());
        assertEquals("[3,16,112,112]", j.get("input").toString());
        JsonNode layers = j.get("layers");
        assertEquals(16, layers.size());
        JsonNode conv1 = layers.get(0);
        assertEquals("conv1", conv1.get("name").asText());
        assertEquals(64L * 16 * 112 * 112 * 81, conv1.get("macs").asLong());
        assertEquals("[64,16,112,112]", conv1.get("shape").toString());
        assertEquals("[3,3,3]", conv1.get("receptive_field").toString());
        assertEquals("[487]", j.get("output").toString());
        long sum = 0;
        for (JsonNode l : layers) {
            sum += l.get("macs").asLong();
        }
        assertEquals(sum, j.get("total_macs").asLong());
        assertEquals("38.53", String.format("%.2f", sum / 1e9));
        JsonNode card = j.get("card");
        assertEquals(j.get("total_params").asLong(), card.get("params").asLong());
        assertEquals(sum, card.get("macs").asLong());
        assertEquals(16, card.get("input").get("frames").asInt());
    }

    @Test
    void otherInputsAndBackbones() throws Exception {
        JsonNode j = Json.MAPPER.readTree(CliRun.of("models", "late-fusion-pool", "--input", "3x4x64x64", "--backbone",
                "resnet18", "--classes", "5", "--json").out());
        assertEquals("resnet18", j.get("backbone").asText());
        assertEquals("[512,4,2,2]", j.at("/layers/9/shape").toString());
        assertEquals("layer4.1", j.at("/layers/9/name").asText());
        assertEquals("[5]", j.get("output").toString());
    }

    @Test
    void badRequestsExitTwoWithTheReason() {
        CliRun run = CliRun.of("models", "c4d");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown model 'c4d'; known models: single-frame, "), run.err());

        run = CliRun.of("models", "c3d", "--input", "3x8x112x112");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("c3d cannot take a 3x8x112x112 clip: layer pool5"), run.err());

        run = CliRun.of("models", "toy-3d", "--input", "3x20x64");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--input must be CxTxHxW"), run.err());

        run = CliRun.of("models", "toy-3d", "--input", "3x20x64x48");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("models take square frames, H = W (got 64x48)"), run.err());

        run = CliRun.of("models", "c3d", "--backbone", "resnet18");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("c3d has a fixed architecture and takes no backbone"), run.err());

        run = CliRun.of("models", "--classes", "3");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("need a model NAME"), run.err());
    }
}
