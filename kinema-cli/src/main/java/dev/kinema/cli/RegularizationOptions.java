package dev.kinema.cli;

import dev.kinema.train.Regularization;
import picocli.CommandLine.Option;

/** {@code kinema train}'s regularisers: label smoothing, mixup/cutmix and RandAugment, all off by default. */
final class RegularizationOptions {
    @Option(names = "--label-smoothing", paramLabel = "EPS",
            description = "Label smoothing of the cross-entropy, in [0, 1) (default 0; 0.1 is common).")
    Double labelSmoothing;

    @Option(names = "--mixup", paramLabel = "ALPHA",
            description = "Mixup of each batch with itself reversed, λ ~ Beta(ALPHA, ALPHA) (default 0: off; 0.8 is common).")
    Double mixup;

    @Option(names = "--cutmix", paramLabel = "ALPHA",
            description = "Cutmix: one box of the reversed batch pasted into every frame, λ ~ Beta(ALPHA, ALPHA) (default 0: off; 1.0 is common).")
    Double cutmix;

    @Option(names = "--mix-switch-prob", paramLabel = "P",
            description = "With both --mixup and --cutmix, the chance a batch gets cutmix (default 0.5).")
    Double mixSwitchProbability;

    @Option(names = "--randaugment", paramLabel = "N,M",
            description = "RandAugment: N operations at magnitude M (0-10) per training clip, the same for all its frames (default off; 2,9 is common).")
    String randAugment;

    /**
     * The options given, on top of {@code saved} (the defaults, or the resumed run's).
     *
     * @throws IllegalArgumentException for a value out of range or a malformed {@code --randaugment}
     */
    Regularization over(Regularization saved) {
        int[] randAug = randAugment == null ? new int[] {saved.randAugmentOps(), saved.randAugmentMagnitude()}
                : randAugment(randAugment);
        return new Regularization(labelSmoothing != null ? labelSmoothing : saved.labelSmoothing(),
                mixup != null ? mixup : saved.mixup(), cutmix != null ? cutmix : saved.cutmix(),
                mixSwitchProbability != null ? mixSwitchProbability : saved.mixSwitchProbability(), randAug[0],
                randAug[1]);
    }

    private static int[] randAugment(String value) {
        String[] parts = value.split(",", -1);
        try {
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--randaugment wants N,M (e.g. 2,9), got '" + value + "'");
    }
}
