package io.parley.translate.eval;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code 13a} tokenizer: the tokenization of NIST's {@code mteval-v13a.pl}, which WMT uses
 * and which sacreBLEU applies by default before counting BLEU n-grams.
 *
 * <p>It is deliberately crude and language-blind; what matters is that everyone applies the
 * same one, so that scores are comparable. Hence the steps below follow the published Perl
 * one for one, including its quirks, with sacreBLEU's two deviations: case is kept (mteval
 * lowercases unless run with -c; sacreBLEU lowercases only if asked, and before tokenizing),
 * and the final whitespace clean-up splits on Python's whitespace ({@link PythonWhitespace})
 * rather than Perl's {@code \s}.
 */
public final class Tokenizer13a {

    /*
     * Every ASCII symbol except ' , - . is a token of its own: the Perl class
     * [\{-\~\[-\` -\&\(-\+\:-\@\/], written out as code point ranges because in a Java class
     * '[' opens a nested class and "&&" intersects. The space in 0x20-0x26 is harmless (it only
     * pads spaces with more spaces) but is kept to be the same class.
     */
    private static final Pattern SYMBOL =
            Pattern.compile("([\\x20-\\x26\\x28-\\x2B\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7E])");
    /** Period and comma split off unless a digit precedes them ("3.5", "1,000" survive)... */
    private static final Pattern POINT_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([.,])");
    /** ...or unless a digit follows them (so a sentence-final "in 2019." still splits). */
    private static final Pattern POINT_BEFORE_NON_DIGIT = Pattern.compile("([.,])([^0-9])");
    /** A dash after a digit is split ("1990-2000"), one between letters is not ("well-known"). */
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Tokenizer13a() {
    }

    /** The tokens of {@code line}, as sacreBLEU's {@code Tokenizer13a()(line).split()}. */
    public static List<String> tokens(String line) {
        // Language-independent part. mteval read SGML, so it drops the <skipped> marker, joins
        // lines hyphenated at a line break, and undoes the four entities SGML forced on the text
        // (in this order, once each: "&amp;lt;" therefore ends as "<", as in mteval).
        String s = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (s.indexOf('&') >= 0) {
            s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        // Language-dependent part (Western languages). The padding lets the period/comma rules
        // see a non-digit before the first and after the last character.
        s = " " + s + " ";
        // Each rule is one left-to-right pass of non-overlapping matches, as Perl's s///g and
        // Python's re.sub (a character consumed by one match is not the context of the next:
        // in "a..b" the first pass only splits "a."), and the passes run in mteval's order.
        s = SYMBOL.matcher(s).replaceAll(" $1 ");
        s = POINT_AFTER_NON_DIGIT.matcher(s).replaceAll("$1 $2 ");
        s = POINT_BEFORE_NON_DIGIT.matcher(s).replaceAll(" $1 $2");
        s = DASH_AFTER_DIGIT.matcher(s).replaceAll("$1 $2 ");
        return PythonWhitespace.split(s);
    }

    /** The tokens joined by single spaces: the string sacreBLEU's tokenizer returns. */
    public static String tokenize(String line) {
        return String.join(" ", tokens(line));
    }
}
