package io.parley.translate.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * eval/sacrebleu.json, written by tools/fixtures/sacrebleu_fixture.py with sacreBLEU 2.5.1:
 * the numbers the Java scorers must reproduce. See the script for what each part holds.
 */
final class SacrebleuFixture {

    /** A corpus and what sacreBLEU made of it ({@code bleu}, {@code chrf}: the JSON objects). */
    record Corpus(String name, List<String> hypotheses, List<String> references,
                  String hypothesesSha256, Map<String, Object> bleu, Map<String, Object> chrf) {
    }

    /** One segment scored with sacrebleu.sentence_bleu and sentence_chrf. */
    record Sentence(String hypothesis, String reference, Map<String, Object> bleu, double chrf) {
    }

    private static Map<String, Object> root;

    private SacrebleuFixture() {
    }

    static synchronized Map<String, Object> root() {
        if (root == null) {
            try (InputStream in = SacrebleuFixture.class.getResourceAsStream("/eval/sacrebleu.json")) {
                if (in == null) {
                    throw new IllegalStateException("eval/sacrebleu.json missing from the test resources"
                            + " (tools/python-env.sh run tools/fixtures/sacrebleu_fixture.py)");
                }
                root = map(Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    static List<Map<String, Object>> section(String name) {
        return list(root().get(name)).stream().map(SacrebleuFixture::map).toList();
    }

    /**
     * The fixture's corpora, each with its hypotheses and references: inline for the edge
     * cases; for the shared pairs, re-read from the same files and rebuilt with the same rule.
     */
    static List<Corpus> corpora() {
        return section("corpora").stream().map(c -> {
            List<String> hyps;
            List<String> refs;
            String pair = (String) c.get("pair");
            if (pair == null) {
                hyps = strings(c.get("hypotheses"));
                refs = strings(c.get("references"));
            } else {
                refs = MtTestData.lines(pair + "/ref.txt");
                hyps = switch ((String) c.get("hypothesis")) {
                    case "degraded" -> DegradedHypothesis.of(refs);
                    case "source" -> MtTestData.lines(pair + "/src.txt");
                    default -> throw new IllegalStateException("unknown hypothesis kind in " + c.get("name"));
                };
            }
            return new Corpus((String) c.get("name"), hyps, refs, (String) c.get("hypotheses_sha256"),
                    map(c.get("bleu")), map(c.get("chrf")));
        }).toList();
    }

    static List<Sentence> sentences() {
        return section("sentences").stream().map(s -> new Sentence((String) s.get("hypothesis"),
                (String) s.get("reference"), map(s.get("bleu")), number(map(s.get("chrf")).get("score")))).toList();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    static List<String> strings(Object o) {
        return list(o).stream().map(String.class::cast).toList();
    }

    static List<Long> longs(Object o) {
        return list(o).stream().map(x -> ((Number) x).longValue()).toList();
    }

    static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    static List<Double> numbers(Object o) {
        return list(o).stream().map(SacrebleuFixture::number).toList();
    }
}
