package dev.kinema.eval.separation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BSS Eval v3 source separation metrics, as {@code mir_eval.separation.bss_eval_sources} (mir_eval
 * 0.7, itself a port of Vincent et al.'s MATLAB toolbox): each estimate is split, by least squares on
 * the references delayed by 0 to 511 samples, into the target (its projection on its own reference's
 * delays), interference (what the other references' delays add) and artifacts (the rest), and
 *
 * <ul>
 *   <li>SDR = 10 log10(|target|² / |interference + artifacts|²),
 *   <li>SIR = 10 log10(|target|² / |interference|²),
 *   <li>SAR = 10 log10(|target + interference|² / |artifacts|²),
 * </ul>
 *
 * in dB (infinite when the denominator is exactly 0). With {@code permute}, the estimates are matched
 * to the references by the permutation of highest mean SIR, as mir_eval does. NSDR ("The Sound of
 * Pixels") is the SDR gained over using the mixture itself as every estimate.
 *
 * <p>The inner products are computed directly in the time domain (mir_eval takes them from FFTs;
 * the values agree to rounding) and the normal equations by a Cholesky factorisation of the
 * references' Gram matrices (numpy's {@code solve} uses LU; the solution is the same to rounding),
 * factored once per evaluation and shared by the mixture's.
 */
public final class BssEval {
    /** mir_eval's distortion filter length: delays 0 to 511 samples. */
    public static final int FILTER_LENGTH = 512;
    /** The permutation search is factorial; mir_eval allows 100 sources, this 8 (40,320 orders). */
    public static final int MAX_SOURCES = 8;

    private BssEval() {}

    /**
     * Scores per reference source {@code j}: the metrics of the estimate matched to it,
     * {@code permutation[j]} being that estimate's index.
     */
    public record Result(double[] sdr, double[] sir, double[] sar, int[] permutation) {
        public double meanSdr() {
            return Arrays.stream(sdr).average().orElse(Double.NaN);
        }

        public double meanSir() {
            return Arrays.stream(sir).average().orElse(Double.NaN);
        }

        public double meanSar() {
            return Arrays.stream(sar).average().orElse(Double.NaN);
        }
    }

    /** {@link Result} and the NSDR of each source: its SDR minus the mixture's SDR for it. */
    public record WithMixture(Result result, double[] mixtureSdr, double[] nsdr) {
        public double meanNsdr() {
            return Arrays.stream(nsdr).average().orElse(Double.NaN);
        }
    }

    /** {@code bss_eval_sources(references, estimates, compute_permutation=permute)}. */
    public static Result evaluate(float[][] references, float[][] estimates, boolean permute) {
        validate(references, estimates);
        return evaluate(new Projector(references), estimates, permute);
    }

    private static Result evaluate(Projector projector, float[][] estimates, boolean permute) {
        int n = estimates.length;
        double[][] sdr = new double[n][n];
        double[][] sir = new double[n][n];
        double[][] sar = new double[n][n];
        for (int est = 0; est < n; est++) {
            for (int ref = 0; ref < n; ref++) {
                if (!permute && est != ref) {
                    continue;
                }
                double[] c = projector.criteria(estimates[est], ref);
                sdr[est][ref] = c[0];
                sir[est][ref] = c[1];
                sar[est][ref] = c[2];
            }
        }
        int[] best = identity(n);
        if (permute) {
            double bestSir = Double.NEGATIVE_INFINITY;
            for (int[] perm : permutations(n)) {
                double mean = 0;
                for (int j = 0; j < n; j++) {
                    mean += sir[perm[j]][j];
                }
                mean /= n;
                if (mean > bestSir) { // the first maximum, as np.argmax
                    bestSir = mean;
                    best = perm;
                }
            }
        }
        double[] outSdr = new double[n];
        double[] outSir = new double[n];
        double[] outSar = new double[n];
        for (int j = 0; j < n; j++) {
            outSdr[j] = sdr[best[j]][j];
            outSir[j] = sir[best[j]][j];
            outSar[j] = sar[best[j]][j];
        }
        return new Result(outSdr, outSir, outSar, best);
    }

    /**
     * The permuted metrics and NSDR: the mixture, as the estimate of every source, scored without
     * permutation (as the Sound of Pixels evaluation does), subtracted from each source's SDR.
     */
    public static WithMixture evaluate(float[][] references, float[][] estimates, float[] mixture) {
        float[][] mixtures = new float[references.length][];
        Arrays.fill(mixtures, mixture);
        validate(references, estimates);
        validate(references, mixtures);
        Projector projector = new Projector(references);
        Result result = evaluate(projector, estimates, true);
        double[] mixSdr = evaluate(projector, mixtures, false).sdr();
        double[] nsdr = new double[mixSdr.length];
        for (int j = 0; j < nsdr.length; j++) {
            nsdr[j] = result.sdr()[j] - mixSdr[j];
        }
        return new WithMixture(result, mixSdr, nsdr);
    }

    private static void validate(float[][] references, float[][] estimates) {
        if (references.length == 0 || references.length != estimates.length) {
            throw new IllegalArgumentException("need as many estimates as references, at least one; got "
                    + estimates.length + " estimates for " + references.length + " references");
        }
        if (references.length > MAX_SOURCES) {
            throw new IllegalArgumentException(references.length + " sources; at most " + MAX_SOURCES + " are evaluated");
        }
        int length = references[0].length;
        for (int j = 0; j < references.length; j++) {
            if (references[j].length != length || estimates[j].length != length) {
                throw new IllegalArgumentException("every reference and estimate must have the same length: reference 1 has "
                        + length + " samples, reference " + (j + 1) + " " + references[j].length + ", estimate " + (j + 1) + " "
                        + estimates[j].length);
            }
            if (silent(references[j])) {
                throw new IllegalArgumentException("reference " + (j + 1) + " is all zeros (silent references make the evaluation ambiguous)");
            }
            if (silent(estimates[j])) {
                throw new IllegalArgumentException("estimate " + (j + 1) + " is all zeros (the projection would be underdetermined)");
            }
        }
    }

    private static boolean silent(float[] x) {
        for (float v : x) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** All permutations of 0..n-1 in lexicographic order (itertools.permutations' order). */
    static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] prefix, boolean[] used, int depth, List<int[]> out) {
        if (depth == prefix.length) {
            out.add(prefix.clone());
            return;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (!used[i]) {
                used[i] = true;
                prefix[depth] = i;
                permute(prefix, used, depth + 1, out);
                used[i] = false;
            }
        }
    }

    /** The references, their delays' Gram matrices factored, ready to decompose estimates. */
    private static final class Projector {
        private final double[][] refs;
        private final int samples;
        private final int flen = FILTER_LENGTH;
        private final Cholesky all;
        private final Cholesky[] single;

        Projector(float[][] references) {
            int n = references.length;
            samples = references[0].length;
            refs = new double[n][];
            for (int i = 0; i < n; i++) {
                refs[i] = toDouble(references[i]);
            }
            // G[(i,a),(j,b)] = <ref_i delayed by a, ref_j delayed by b> = xcorr_ij(b - a).
            double[][] gram = new double[n * flen][n * flen];
            single = new Cholesky[n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    double[] r = crossCorrelation(refs[i], refs[j]); // r[k + flen - 1] = sum_m x_i[m + k] x_j[m]
                    for (int a = 0; a < flen; a++) {
                        for (int b = 0; b < flen; b++) {
                            double v = r[b - a + flen - 1];
                            gram[i * flen + a][j * flen + b] = v;
                            gram[j * flen + b][i * flen + a] = v;
                        }
                    }
                }
                double[][] own = new double[flen][];
                for (int a = 0; a < flen; a++) {
                    own[a] = Arrays.copyOfRange(gram[i * flen + a], i * flen, (i + 1) * flen);
                }
                single[i] = new Cholesky(own);
            }
            all = new Cholesky(gram);
        }

        /** SDR, SIR, SAR of {@code estimate} against reference {@code j} (mir_eval's _bss_decomp_mtifilt and _bss_source_crit). */
        double[] criteria(float[] estimate, int j) {
            double[] e = toDouble(estimate);
            int n = refs.length;
            int out = samples + flen - 1;
            double[] d = new double[n * flen];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < flen; a++) {
                    double s = 0;
                    for (int m = a; m < samples; m++) {
                        s += refs[i][m - a] * e[m];
                    }
                    d[i * flen + a] = s;
                }
            }
            double[] ownFilter = single[j].solve(Arrays.copyOfRange(d, j * flen, (j + 1) * flen));
            double[] allFilters = all.solve(d);
            double[] target = new double[out]; // s_true + e_spat: the projection on ref j's delays
            filter(ownFilter, refs[j], target);
            double[] projection = new double[out]; // s_true + e_spat + e_interf
            for (int i = 0; i < n; i++) {
                filter(Arrays.copyOfRange(allFilters, i * flen, (i + 1) * flen), refs[i], projection);
            }
            double target2 = 0;
            double interference2 = 0;
            double artifacts2 = 0;
            double distortion2 = 0;
            double projection2 = 0;
            for (int t = 0; t < out; t++) {
                double interference = projection[t] - target[t];
                double artifact = (t < samples ? e[t] : 0) - projection[t];
                target2 += target[t] * target[t];
                interference2 += interference * interference;
                artifacts2 += artifact * artifact;
                distortion2 += (interference + artifact) * (interference + artifact);
                projection2 += projection[t] * projection[t];
            }
            return new double[] {db(target2, distortion2), db(target2, interference2), db(projection2, artifacts2)};
        }

        private void filter(double[] h, double[] x, double[] into) {
            for (int a = 0; a < flen; a++) {
                double w = h[a];
                if (w == 0) {
                    continue;
                }
                for (int m = 0; m < samples; m++) {
                    into[m + a] += w * x[m];
                }
            }
        }

        /** Lags -(flen-1) .. flen-1: {@code r[k + flen - 1] = sum_m x[m + k] y[m]}. */
        private double[] crossCorrelation(double[] x, double[] y) {
            double[] r = new double[2 * flen - 1];
            for (int k = -(flen - 1); k < flen; k++) {
                double s = 0;
                int from = Math.max(0, -k);
                int to = Math.min(samples, samples - k);
                for (int m = from; m < to; m++) {
                    s += x[m + k] * y[m];
                }
                r[k + flen - 1] = s;
            }
            return r;
        }

        private static double[] toDouble(float[] x) {
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                out[i] = x[i];
            }
            return out;
        }
    }

    private static double db(double num, double den) {
        return den == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(num / den);
    }

    /**
     * A Cholesky factorisation of a Gram matrix (symmetric positive definite when the references'
     * delays are independent; half the work of numpy's LU, and the same solution to rounding).
     */
    private static final class Cholesky {
        private final double[][] l;

        Cholesky(double[][] gram) {
            int n = gram.length;
            l = new double[n][];
            for (int i = 0; i < n; i++) {
                double[] row = new double[i + 1];
                double[] gi = gram[i];
                for (int j = 0; j <= i; j++) {
                    double[] lj = j == i ? row : l[j];
                    double s = gi[j];
                    for (int k = 0; k < j; k++) {
                        s -= row[k] * lj[k];
                    }
                    if (j == i) {
                        if (!(s > 0)) {
                            throw new IllegalArgumentException("the references' delayed copies are linearly dependent"
                                    + " (e.g. a pure tone, or a source that is a filtered copy of another); BSS Eval is undefined");
                        }
                        row[i] = Math.sqrt(s);
                    } else {
                        row[j] = s / lj[j];
                    }
                }
                l[i] = row;
            }
        }

        double[] solve(double[] rhs) {
            int n = l.length;
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = rhs[i];
                double[] li = l[i];
                for (int k = 0; k < i; k++) {
                    s -= li[k] * y[k];
                }
                y[i] = s / li[i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * y[k];
                }
                y[i] = s / l[i][i];
            }
            return y;
        }
    }
}
