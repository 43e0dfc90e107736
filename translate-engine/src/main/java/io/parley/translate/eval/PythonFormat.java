package io.parley.translate.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Python's fixed-point float formatting ({@code f"{x:.2f}"}), for summaries that read the
 * same as sacreBLEU's.
 *
 * <p>Python rounds the exact binary value of the double, ties to even. {@code String.format}
 * rounds ties half-up, so the two can print different last digits for the same number (0.125
 * becomes "0.13" in Java, "0.12" in Python); {@link BigDecimal#BigDecimal(double)} is exact,
 * which makes the rounding below Python's.
 */
final class PythonFormat {

    private PythonFormat() {
    }

    static String fixed(double x, int digits) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        // Python keeps the sign of a negative number that rounds to zero ("-0.00"); BigDecimal
        // has no negative zero.
        boolean negative = x < 0 || (x == 0 && 1 / x < 0);
        return negative && !s.startsWith("-") ? "-" + s : s;
    }
}
