package io.trainsight.insight.diagnose;

/** A least-squares straight line through points, with its R². */
final class Trend {

    private Trend() {}

    /**
     * Fits {@code y = a + b x}.
     *
     * @param xs the x values
     * @param ys the y values
     * @param n how many of them to use
     * @return {slope b, R²}; NaNs with fewer than 3 points or no spread in x; R² 1 when y is flat
     */
    static double[] fit(double[] xs, double[] ys, int n) {
        if (n < 3) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += xs[i];
            meanY += ys[i];
        }
        meanX /= n;
        meanY /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = xs[i] - meanX;
            double dy = ys[i] - meanY;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double slope = sxy / sxx;
        double r2 = syy == 0 ? 1 : (sxy * sxy) / (sxx * syy);
        return new double[] {slope, r2};
    }
}
