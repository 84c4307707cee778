package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;

class ProfilerTest {
    private static final Shape CLIP = new Shape(4, 1, 32, 32);

    @Test
    void receptiveFieldRecurrence() {
        // 3-tap windows at stride 2, then 3 taps dilated by 2 (span 5): rf 1 -> 3 (jump 2) -> 3 + 2*2*2 = 11; size 32 -> 16 -> 12
        Dim d = Dim.input(Axis.H, 32).slide(3, 2, 1, 1);
        assertEquals(new Dim(Axis.H, 16, 3, 2), d);
        assertEquals(new Dim(Axis.H, 12, 11, 2), d.slide(3, 1, 0, 2));
        assertEquals(new Dim(Axis.H, 1, 3 + 15 * 2, 32), d.whole());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dim.input(Axis.T, 2).slide(4, 4, 0, 1));
        assertEquals("T is 2, too small for a window of 4", e.getMessage());
    }

    @Test
    void groupedDilatedConvolution() {
        NamedSequential net = NamedSequential.layers()
                .add("fold", new TimeToChannels())
                .add("conv", Conv2d.builder().setFilters(8).setKernelShape(new Shape(3, 3)).optDilation(new Shape(2, 2))
                        .optGroups(2).optBias(true).build());
        LayerTable t = Profiler.profile(net, CLIP);
        LayerRow conv = t.row("conv");
        assertEquals("Conv2D(3x3, 4->8, groups 2)", conv.op());
        assertEquals("8 x 28 x 28", conv.shapeText());
        assertEquals(8 * 2 * 9 + 8, conv.params());
        assertEquals(8L * 28 * 28 * 2 * 9, conv.macs());
        assertEquals("1 x 5 x 5", conv.receptiveFieldText());
        assertEquals(1, t.rows().size(), "the reshape has no row");
    }

    @Test
    void receptiveFieldIsCappedAtTheInput() {
        NamedSequential net = NamedSequential.layers()
                .add("fold", new TimeToChannels())
                .add("pool", Pooling.max(new Shape(4, 4)))
                .add("conv", Conv2d.builder().setFilters(2).setKernelShape(new Shape(9, 9)).optPadding(new Shape(4, 4)).build());
        // 4 + 8 * 4 = 36 > 32
        assertEquals("1 x 32 x 32", Profiler.profile(net, CLIP).row("conv").receptiveFieldText());
    }

    @Test
    void unknownBlocksAndMisuseAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Profiler.profile(NamedSequential.layers().add("relu", Activation.reluBlock()), CLIP));
        assertEquals("layer relu [LambdaBlock] on 4 x 1 x 32 x 32: cannot profile a ai.djl.nn.LambdaBlock: "
                + "implement dev.kinema.nn.Profiled for it", e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Profiler.profile(NamedSequential.layers().add("fc", Linear.builder().setUnits(3).build()), CLIP));
        assertEquals("layer fc [Linear(4->3)] on 4 x 1 x 32 x 32: a fully connected layer needs flat features "
                + "(add a Flatten), the map is 4 x 1 x 32 x 32", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Profiler.profile(NamedSequential.layers()
                .add("conv", Conv2d.builder().setFilters(2).setKernelShape(new Shape(3, 3)).build()), CLIP));
        assertEquals("layer conv [Conv2D(3x3, 4->2)] on 4 x 1 x 32 x 32: a 2D layer takes maps with 2 axes after the "
                + "channels, the map is 4 x 1 x 32 x 32", e.getMessage());
    }

    @Test
    void flattenedFeaturesSeeEverything() {
        NamedSequential net = NamedSequential.layers()
                .add("flatten", new Flatten())
                .add("fc", Linear.builder().setUnits(3).build());
        LayerTable t = Profiler.profile(net, new Shape(2, 5, 8, 8));
        assertEquals("5 x 8 x 8", t.row("fc").receptiveFieldText());
        assertEquals(2L * 5 * 8 * 8 * 3 + 3, t.totalParams());
        assertEquals(2L * 5 * 8 * 8 * 3, t.totalMacs());
    }

    @Test
    void textTableHasInputRowsAndTotals() {
        NamedSequential net = NamedSequential.layers()
                .add("pool", Pooling.avg(new Shape(1, 2, 2)))
                .add("gap", new GlobalAvgPool());
        String text = Profiler.profile(net, new Shape(3, 4, 8, 8)).toText();
        assertEquals("""
                layer  op                output (C x T x H x W)  params  MACs  RF (T x H x W)
                input                    3 x 4 x 8 x 8
                pool   AvgPool3D(1x2x2)  3 x 4 x 4 x 4                0     0  1 x 2 x 2
                gap    GlobalAvgPool     3 x 1 x 1 x 1                0     0  4 x 8 x 8
                total                                                 0     0
                """, text);
        assertEquals("1.04 G", LayerTable.formatMacs(1_040_449_536L));
        assertEquals("663.55 K", LayerTable.formatMacs(663_552L));
        assertEquals("999", LayerTable.formatMacs(999));
    }
}
