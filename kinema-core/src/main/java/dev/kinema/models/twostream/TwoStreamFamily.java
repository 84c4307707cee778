package dev.kinema.models.twostream;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/** The two-stream networks (Simonyan and Zisserman 2014): each stream, and their two fusions. */
public final class TwoStreamFamily implements ModelFamily {
    @Override
    public int order() {
        return 400;
    }

    @Override
    public List<Model> models() {
        return List.of(
                new Model(TwoStreamModels.SPATIAL_STREAM, TwoStreamModels::spatialStream),
                new Model(TwoStreamModels.TEMPORAL_STREAM, TwoStreamModels::temporalStream),
                new Model(TwoStreamModels.TWO_STREAM, TwoStreamModels::twoStream),
                new Model(TwoStreamModels.TWO_STREAM_LINEAR, TwoStreamModels::twoStreamLinear));
    }
}
