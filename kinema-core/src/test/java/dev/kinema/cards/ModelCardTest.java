package dev.kinema.cards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.data.loader.Modality;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.video.FrameSize;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {
    @TempDir
    Path tmp;

    @Test
    void defaultCardsAreHowKinemaTrains() {
        ModelInput input = ModelCards.defaultCard("tiny-3d").input().toModelInput();
        assertEquals(Normalization.KINETICS, input.normalization());
        assertEquals(FrameSize.shortSide(ModelInput.defaultResize(input.size())), input.decodeSize());
        assertEquals(4, input.frameStride());
        assertEquals(Modality.RGB, input.modality());
        // The same clips as before cards: ModelInput's Kinetics default.
        assertEquals(new ModelInput(input.frames(), 4, null, input.size(), input.resize(), Modality.RGB), input);
    }

    @Test
    void theCardDecidesModality() {
        assertEquals(Modality.RGB, ModelCards.modalityOf("slow-fusion"));
        assertEquals(Modality.FLOW, ModelCards.modalityOf("temporal-stream"));
        assertEquals(Modality.RGB_FLOW, ModelCards.modalityOf("two-stream"));
        assertEquals(Modality.RGB, ModelCards.modalityOf("not-a-registry-model"));
        assertEquals(1, ModelCards.defaultCard("temporal-stream").input().stride());
    }

    @Test
    void torchvisionWeightsGetTorchvisionsPreset() {
        ModelCard card = ModelCards.forImport("r3d_18", "torchvision");
        ModelInput input = card.input().toModelInput();
        assertArrayEquals(new float[] {0.43216f, 0.394666f, 0.37645f}, input.normalization().mean());
        assertArrayEquals(new float[] {0.22803f, 0.22145f, 0.216989f}, input.normalization().std());
        assertEquals(FrameSize.exact(171, 128), input.decodeSize());
        assertEquals(112, input.size());
        assertEquals(16, input.frames());
        assertEquals(15.0, input.targetFps());
        assertEquals("torchvision", card.weights().mapping());
        // Other weights for the same model, and other models, keep Kinema's statistics.
        assertEquals(Normalization.KINETICS, ModelCards.forImport("r3d_18", "mmaction2").input().toModelInput().normalization());
        assertEquals(Normalization.KINETICS, ModelCards.forImport("tiny-3d", "torchvision").input().toModelInput().normalization());
    }

    @Test
    void cardsCarryTheModelsParametersAndMultiplyAdds() throws IOException {
        // torchvision's documented figures for its Kinetics-400 r3d_18 at 3x16x112x112: 33.4 M parameters, 40.70 GFLOPS.
        ModelCard r3d = ModelCards.torchvision("r3d_18");
        assertEquals(33_371_472L, r3d.params());
        assertEquals(40.70, r3d.macs() / 1e9, 0.005);
        assertEquals(43.34, ModelCards.torchvision("mc3_18").macs() / 1e9, 0.005);

        // Kinema's card of a trained run: the model at the run's clips and classes, as written to card.json.
        ModelInput input = new ModelInput(4, 2, null, 32, 36, Modality.RGB);
        ModelCard card = ModelCards.kinema("tiny-3d", input, List.of("a", "b", "c"));
        VideoModel model = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(3).optFrames(4).optSize(32)
                .build());
        assertEquals(model.parameterCount(), card.params());
        assertEquals(model.macs(), card.macs());
        Path file = tmp.resolve("sized.json");
        card.write(file);
        assertTrue(Files.readString(file).contains("\"macs\" : " + model.macs()), Files.readString(file));
        // Twice the frames, twice the multiply-adds of every 3D layer: the clip size counts.
        long longer = ModelCards.kinema("tiny-3d", new ModelInput(8, 2, null, 32, 36, Modality.RGB), List.of("a", "b", "c"))
                .macs();
        assertTrue(longer > card.macs(), longer + " vs " + card.macs());
        // A clip too small for the network leaves the card unsized instead of failing.
        assertNull(ModelCards.kinema("c3d", new ModelInput(2, 1, null, 8, 9, Modality.RGB), List.of("a")).macs());
    }

    @Test
    void writtenCardsReadBack() throws IOException {
        ModelCard card = ModelCards.torchvision("mc3_18").withCategories(List.of("a", "b"))
                .withWeights(new ModelCard.Weights("safetensors", "/w/mc3.safetensors", "torchvision", "test"), 11L, 43L);
        Path file = tmp.resolve(ModelCard.FILE);
        card.write(file);
        ModelCard back = ModelCard.read(file);
        assertEquals(card, back);
        assertEquals(card.input().toModelInput(), back.input().toModelInput());
        String json = Files.readString(file);
        assertTrue(json.contains("\"resize\" : [ 128, 171 ]"), json);
    }

    @Test
    void theGoldenTorchScriptCardReads() throws Exception {
        ModelCard card = ModelCard.read(golden("torchscript/tiny_video_card.json"));
        assertTrue(card.weights().isTorchScript());
        assertEquals("tiny_video.pt", card.weights().file());
        assertEquals(List.of("class_0", "class_1", "class_2", "class_3", "class_4"), card.categories());
        ModelInput input = card.input().toModelInput();
        assertEquals(Modality.RGB, input.modality());
        assertEquals(FrameSize.shortSide(32), input.decodeSize());
        assertNull(card.macs());
    }

    @Test
    void badCardsNameTheFileAndTheReason() throws IOException {
        Path channels = Files.writeString(tmp.resolve("channels.json"), """
                {"name": "x", "input": {"modality": "flow", "channels": 3, "frames": 4, "stride": 1, "size": 32,
                 "resize": [36]}}""");
        IOException e = assertThrows(IOException.class, () -> ModelCard.read(channels));
        assertEquals(channels + ": not a valid model card: flow clips have 2 channels, the card says 3", e.getMessage());

        Path modality = Files.writeString(tmp.resolve("modality.json"), """
                {"name": "x", "input": {"modality": "depth", "frames": 4, "stride": 1, "size": 32, "resize": [36]}}""");
        e = assertThrows(IOException.class, () -> ModelCard.read(modality));
        assertTrue(e.getMessage().startsWith(modality + ": not a valid model card: unknown input modality 'depth'"),
                e.getMessage());

        Path noStats = Files.writeString(tmp.resolve("stats.json"), """
                {"name": "x", "input": {"modality": "rgb", "frames": 4, "stride": 1, "size": 32, "resize": [36]}}""");
        e = assertThrows(IOException.class, () -> ModelCard.read(noStats));
        assertEquals(noStats + ": not a valid model card: frames need a mean and a std (R, G, B)", e.getMessage());

        Path notJson = Files.writeString(tmp.resolve("text.json"), "mean 0.45");
        e = assertThrows(IOException.class, () -> ModelCard.read(notJson));
        assertTrue(e.getMessage().startsWith(notJson + ": not a valid model card: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());

        assertThrows(NoSuchFileException.class, () -> ModelCard.read(tmp.resolve("missing.json")));
    }

    static Path golden(String name) throws URISyntaxException {
        return Path.of(ModelCardTest.class.getResource("/golden/" + name).toURI());
    }
}
