package dev.kinema.flow;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The dense optical flow algorithms Kinema computes through OpenCV, each with fixed parameters: the
 * defaults most Python code uses, so that flow (and its speed) compares with {@code cv2} directly.
 * {@code tools/bench/opencv_flow.py} repeats these parameters; change both or neither.
 */
public enum FlowMethod {
    /**
     * Dual TV-L1 (Zach, Pock, Bischof 2007; opencv_contrib {@code optflow}), OpenCV's defaults:
     * tau 0.25, lambda 0.15, theta 0.3, 5 scales, 5 warps, epsilon 0.01, 30 inner and 10 outer
     * iterations, scale step 0.8, gamma 0, median filtering 5. The two-stream papers' flow.
     */
    TVL1("tvl1"),
    /**
     * Farneback (2003) with the parameters of OpenCV's optical flow tutorial: pyramid scale 0.5,
     * 3 levels, window 15, 3 iterations, poly_n 5, poly_sigma 1.2, no flags.
     */
    FARNEBACK("farneback"),
    /** DIS (Kroeger et al. 2016), preset ULTRAFAST. */
    DIS_ULTRAFAST("dis-ultrafast"),
    /** DIS, preset FAST (OpenCV's default preset; {@code dis} names it). */
    DIS_FAST("dis-fast"),
    /** DIS, preset MEDIUM. */
    DIS_MEDIUM("dis-medium");

    /**
     * The method {@code kinema flow} uses when none is named: Farneback. TV-L1 is the two-stream
     * papers' flow, but JavaCV's OpenCV build runs it at 0.42x OpenCV-Python's speed (its TV-L1 calls
     * double-precision {@code hypot}), about 70 times slower than Farneback; Farneback runs at
     * OpenCV-Python's speed or better, and a temporal stream trained on its flow of Kinema-Motion
     * was the most accurate of the five methods, TV-L1 included, over two seeds (docs/benchmarks.md,
     * "The flow choice"). TV-L1 stays available by name.
     */
    public static final String DEFAULT_ID = "farneback";

    private final String id;

    FlowMethod(String id) {
        this.id = id;
    }

    /** The name used on the command line and in cache manifests. */
    public String id() {
        return id;
    }

    /**
     * The method named {@code name} (case ignored): {@code tvl1}, {@code farneback},
     * {@code dis-ultrafast}, {@code dis-fast}, {@code dis-medium}, or {@code dis} for {@code dis-fast}.
     */
    public static FlowMethod parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (n.equals("dis")) {
            return DIS_FAST;
        }
        if (n.equals("tv-l1")) {
            return TVL1;
        }
        for (FlowMethod m : values()) {
            if (m.id.equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown flow method '" + name + "'; use one of "
                + Arrays.stream(values()).map(FlowMethod::id).collect(Collectors.joining(", ")) + " (dis = dis-fast)");
    }

    @Override
    public String toString() {
        return id;
    }
}
