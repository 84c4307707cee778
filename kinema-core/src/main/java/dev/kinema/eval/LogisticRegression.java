package dev.kinema.eval;

/**
 * Multinomial logistic regression (softmax regression) with an L2 penalty, fitted by full-batch
 * Nesterov-accelerated gradient descent on standardised features: convex, so the result does not
 * depend on a seed, and deterministic (a fixed number of steps in a fixed order).
 *
 * <p>The fitted classifier is returned on the original features (the standardisation folded into
 * the weights), ready to be a network's linear layer: {@code score[k] = bias[k] + sum_d weight[k][d] x[d]}.
 *
 * @param weight classes×features, row-major
 * @param bias one value per class
 */
public record LogisticRegression(float[] weight, float[] bias, int classes, int features) {
    /** Default L2 penalty on the standardised weights. */
    public static final double DEFAULT_L2 = 1e-3;
    /** Default number of gradient steps. */
    public static final int DEFAULT_STEPS = 500;

    /**
     * Fits {@code classes} classes to feature rows {@code x} with labels {@code y}.
     *
     * @param l2 the penalty {@code l2 / 2 * |W|^2} on the standardised problem's weights (bias free)
     * @param steps gradient steps
     */
    public static LogisticRegression fit(float[][] x, int[] y, int classes, double l2, int steps) {
        int n = x.length;
        if (n == 0 || n != y.length) {
            throw new IllegalArgumentException("need as many labels as rows, and at least one row; got " + n + " rows and "
                    + y.length + " labels");
        }
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (float[] row : x) {
            if (row.length != d) {
                throw new IllegalArgumentException("rows differ in length: " + row.length + " vs " + d);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                double v = row[j] - mean[j];
                scale[j] += v * v;
            }
        }
        double[][] z = new double[n][d];
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(scale[j] / n);
            scale[j] = sd > 1e-8 ? 1 / sd : 0;
        }
        for (int i = 0; i < n; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("label " + y[i] + " of row " + i + " is not in [0, " + classes + ")");
            }
            for (int j = 0; j < d; j++) {
                z[i][j] = (x[i][j] - mean[j]) * scale[j];
            }
        }
        // Step 1/L, L bounding the loss's curvature: softmax cross-entropy's Hessian is at most
        // 1/2 * (largest eigenvalue of [z 1]^T [z 1] / n), plus the penalty.
        double step = 1 / (0.5 * largestEigenvalue(z) + l2);
        int p = d + 1;
        double[][] w = new double[classes][p];
        double[][] prev = new double[classes][p];
        double[][] look = new double[classes][p];
        double[][] grad = new double[classes][p];
        double[] prob = new double[classes];
        for (int s = 1; s <= steps; s++) {
            double momentum = (s - 1.0) / (s + 2.0);
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j < p; j++) {
                    look[k][j] = w[k][j] + momentum * (w[k][j] - prev[k][j]);
                    grad[k][j] = 0;
                }
            }
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    double a = look[k][d];
                    for (int j = 0; j < d; j++) {
                        a += look[k][j] * z[i][j];
                    }
                    prob[k] = a;
                    max = Math.max(max, a);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    prob[k] = Math.exp(prob[k] - max);
                    sum += prob[k];
                }
                for (int k = 0; k < classes; k++) {
                    double g = (prob[k] / sum - (k == y[i] ? 1 : 0)) / n;
                    for (int j = 0; j < d; j++) {
                        grad[k][j] += g * z[i][j];
                    }
                    grad[k][d] += g;
                }
            }
            for (int k = 0; k < classes; k++) {
                System.arraycopy(w[k], 0, prev[k], 0, p);
                for (int j = 0; j < p; j++) {
                    double penalty = j < d ? l2 * look[k][j] : 0;
                    w[k][j] = look[k][j] - step * (grad[k][j] + penalty);
                }
            }
        }
        float[] weight = new float[classes * d];
        float[] bias = new float[classes];
        for (int k = 0; k < classes; k++) {
            double b = w[k][d];
            for (int j = 0; j < d; j++) {
                double wj = w[k][j] * scale[j];
                weight[k * d + j] = (float) wj;
                b -= wj * mean[j];
            }
            bias[k] = (float) b;
        }
        return new LogisticRegression(weight, bias, classes, d);
    }

    /** Class scores (logits) of one feature row. */
    public float[] scores(float[] row) {
        float[] out = new float[classes];
        for (int k = 0; k < classes; k++) {
            double a = bias[k];
            for (int j = 0; j < features; j++) {
                a += weight[k * features + j] * row[j];
            }
            out[k] = (float) a;
        }
        return out;
    }

    /** The most likely class of one feature row. */
    public int predict(float[] row) {
        return Metrics.argmax(scores(row));
    }

    /** Largest eigenvalue of [z 1]^T [z 1] / n by power iteration (an upper estimate is fine). */
    private static double largestEigenvalue(double[][] z) {
        int n = z.length;
        int p = z[0].length + 1;
        double[] v = new double[p];
        java.util.Arrays.fill(v, 1 / Math.sqrt(p));
        double lambda = 1;
        for (int it = 0; it < 50; it++) {
            double[] u = new double[p];
            for (double[] row : z) {
                double dot = v[p - 1];
                for (int j = 0; j < p - 1; j++) {
                    dot += row[j] * v[j];
                }
                for (int j = 0; j < p - 1; j++) {
                    u[j] += dot * row[j] / n;
                }
                u[p - 1] += dot / n;
            }
            double norm = 0;
            for (double a : u) {
                norm += a * a;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return 1;
            }
            lambda = norm;
            for (int j = 0; j < p; j++) {
                v[j] = u[j] / norm;
            }
        }
        // Power iteration approaches the top eigenvalue from below; a margin keeps the step safe.
        return 1.1 * lambda;
    }
}
