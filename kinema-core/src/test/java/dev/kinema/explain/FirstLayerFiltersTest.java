package dev.kinema.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.video.VideoFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first layer's filters of 3D CNNs, inflated I3D, the temporal stream and two-stream, as pictures. */
class FirstLayerFiltersTest {
    @TempDir
    Path dir;

    private static VideoModel model(String name, int frames, int size, NDManager manager) {
        VideoModel m = ModelRegistry.create(name, ModelConfig.builder().setNumClasses(4).optFrames(frames).optSize(size).build());
        m.initialize(manager);
        return m;
    }

    @Test
    void aThreeDCnnsFiltersAreKtFrameStripsAndLoopingTiles() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel tiny = model("tiny-3d", 4, 16, manager);
            FirstLayerFilters.Layer layer = FirstLayerFilters.of(tiny).get(0);
            assertFalse(layer.flow());
            assertEquals(List.of(8, 3, 3, 3, 3), List.of(layer.filters(), layer.channels(), layer.frames(), layer.height(), layer.width()));
            List<VideoFrames> own = FirstLayerFilters.pictures(layer, false);
            assertEquals(8, own.size());
            // Each filter on its own scale reaches the end of the range; on the shared scale only the strongest must.
            for (VideoFrames f : own) {
                assertEquals(3, f.frames());
                assertTrue(extreme(f), "a filter on its own scale uses its full range");
            }
            long sharedExtremes = FirstLayerFilters.pictures(layer, true).stream().filter(FirstLayerFiltersTest::extreme).count();
            assertTrue(sharedExtremes >= 1 && sharedExtremes < 8, sharedExtremes + " filters reach the end of the shared range");

            Path png = FirstLayerFilters.write(tiny, false, dir.resolve("f.png")).get(0);
            assertTrue(ImageIO.read(png.toFile()).getWidth() > 3 * 3 * FirstLayerFilters.PIXEL);
            Path gif = FirstLayerFilters.write(tiny, true, dir.resolve("f.gif")).get(0);
            assertEquals(3, gifFrames(gif), "one GIF frame per kernel frame");
        }
    }

    @Test
    void inflatedAndFlowFiltersAreFoundAndFlowIsOnTheColourWheel() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            FirstLayerFilters.Layer i3d = FirstLayerFilters.of(model("i3d", 8, 32, manager)).get(0);
            assertEquals(List.of(64, 3, 7, 7, 7), List.of(i3d.filters(), i3d.channels(), i3d.frames(), i3d.height(), i3d.width()));

            FirstLayerFilters.Layer temporal = FirstLayerFilters.of(model("temporal-stream", 5, 32, manager)).get(0);
            assertTrue(temporal.flow());
            assertEquals(2, temporal.channels());
            assertEquals(5, temporal.frames(), "the 2L folded channels are L fields of dx, dy");

            List<FirstLayerFilters.Layer> both = FirstLayerFilters.of(model("two-stream", 5, 32, manager));
            assertEquals(2, both.size());
            assertFalse(both.get(0).flow());
            assertTrue(both.get(1).flow());
            List<Path> files = FirstLayerFilters.write(model("two-stream", 5, 32, manager), false, dir.resolve("ts.png"));
            assertEquals(List.of(dir.resolve("ts.png"), dir.resolve("ts-flow.png")), files.stream().map(Path::toAbsolutePath).toList()
                    .stream().map(p -> dir.resolve(p.getFileName())).toList());
            assertTrue(Files.size(files.get(1)) > 0);
        }
    }

    /** True if some pixel of {@code f} has a channel at 0 or 255 (±1 for rounding). */
    private static boolean extreme(VideoFrames f) {
        for (byte b : f.rgb()) {
            int v = b & 0xff;
            if (v <= 1 || v >= 254) {
                return true;
            }
        }
        return false;
    }

    private static int gifFrames(Path gif) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            return reader.getNumImages(true);
        }
    }
}
