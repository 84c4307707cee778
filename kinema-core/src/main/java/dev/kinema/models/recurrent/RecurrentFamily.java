package dev.kinema.models.recurrent;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import dev.kinema.models.frame.Backbone;
import dev.kinema.nn.TemporalReadout;
import java.util.List;

/**
 * Long-term temporal structure (the lecture's CNN + RNN section): {@code lrcn}, {@code conv-gru}
 * and {@code conv-lstm}, on the frame models' 2D backbones. By default they read out the last
 * step ({@code ModelConfig.optReadout} chooses the mean) and take 16 frames of 112², which at a low
 * frame rate span a whole short video.
 */
public final class RecurrentFamily implements ModelFamily {
    @Override
    public int order() {
        return 1000;
    }

    @Override
    public List<Model> models() {
        ModelConfig defaults = ModelConfig.of(400, 16, 112).toBuilder().optBackbone(Backbone.SMALL.cliName())
                .optReadout(TemporalReadout.Mode.LAST).build();
        List<String> backbones = Backbone.names();
        return List.of(
                new Model(new ModelInfo("lrcn",
                        "CNN + LSTM (Donahue et al.): 2D CNN on every frame, an LSTM over the frame features",
                        defaults, backbones), RecurrentModels::lrcn),
                new Model(new ModelInfo("conv-gru",
                        "recurrent convolutional network (Ballas et al.): 2D CNN per frame, 2 stacked ConvGRU layers",
                        defaults, backbones), RecurrentModels::convGru),
                new Model(new ModelInfo("conv-lstm",
                        "2D CNN per frame, 2 stacked ConvLSTM layers (Shi et al.): LSTM gates as convolutions",
                        defaults, backbones), RecurrentModels::convLstm));
    }
}
