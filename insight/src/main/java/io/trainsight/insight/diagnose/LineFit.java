package io.trainsight.insight.diagnose;

/**
 * A least-squares straight line fitted as points arrive, in constant memory (running means and
 * co-moments, numerically stable for any number of points), with its R².
 */
final class LineFit {

    private long n;
    private double meanX;
    private double meanY;
    private double sxx;
    private double sxy;
    private double syy;
    private double firstY = Double.NaN;
    private double lastY = Double.NaN;
    private double firstX = Double.NaN;
    private double lastX = Double.NaN;

    void add(double x, double y) {
        n++;
        double dx = x - meanX;
        meanX += dx / n;
        double dy = y - meanY;
        meanY += dy / n;
        sxx += dx * (x - meanX);
        sxy += dx * (y - meanY);
        syy += dy * (y - meanY);
        if (n == 1) {
            firstX = x;
            firstY = y;
        }
        lastX = x;
        lastY = y;
    }

    long count() {
        return n;
    }

    /** Returns the slope; NaN with fewer than 3 points or no spread in x. */
    double slope() {
        return n < 3 || sxx == 0 ? Double.NaN : sxy / sxx;
    }

    /** Returns R²: 1 when y is flat, NaN when the slope is. */
    double r2() {
        if (Double.isNaN(slope())) {
            return Double.NaN;
        }
        return syy == 0 ? 1 : Math.min(1, sxy * sxy / (sxx * syy));
    }

    /** Returns the line's value at x. */
    double at(double x) {
        double slope = slope();
        return Double.isNaN(slope) ? meanY : meanY + slope * (x - meanX);
    }

    double firstX() {
        return firstX;
    }

    double firstY() {
        return firstY;
    }

    double lastX() {
        return lastX;
    }

    double lastY() {
        return lastY;
    }
}
