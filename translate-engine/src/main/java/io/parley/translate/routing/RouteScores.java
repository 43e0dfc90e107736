package io.parley.translate.routing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The measured quality and speed of routes, as a tab-separated table kept in the repository
 * ({@code route-scores.tsv} beside this class) and recomputed by {@code ./parley bench mt}.
 * Lines starting with {@code #} are comments; the columns are route, chrF, BLEU, sentences and
 * milliseconds per sentence.
 */
public final class RouteScores {

    /** The table bundled with this build. */
    public static final String RESOURCE = "route-scores.tsv";

    private static final String HEADER = "route\tchrf\tbleu\tsentences\tms_per_sentence";

    private final Map<String, RouteScore> byRoute;

    public RouteScores(Collection<RouteScore> scores) {
        Map<String, RouteScore> map = new LinkedHashMap<>();
        for (RouteScore s : scores) {
            if (map.putIfAbsent(s.route(), s) != null) {
                throw new IllegalArgumentException("the route " + s.route() + " is scored twice");
            }
        }
        this.byRoute = Map.copyOf(map);
    }

    public static RouteScores none() {
        return new RouteScores(List.of());
    }

    /** The table this build carries; empty if it has none. */
    public static RouteScores bundled() {
        try (InputStream in = RouteScores.class.getResourceAsStream(RESOURCE)) {
            return in == null ? none() : read(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RouteScores read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    static RouteScores read(InputStream in, String name) throws IOException {
        List<RouteScore> scores = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNo = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#") || line.equals(HEADER)) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 tab-separated columns (" + HEADER.replace('\t', ' ')
                            + "), found " + f.length);
                }
                scores.add(new RouteScore(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Integer.parseInt(f[3]), Double.parseDouble(f[4])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        return new RouteScores(scores);
    }

    /** Writes the table, routes sorted, under the given comment lines. */
    public void write(Path file, List<String> comments) throws IOException {
        StringBuilder out = new StringBuilder();
        comments.forEach(c -> out.append("# ").append(c).append('\n'));
        out.append(HEADER).append('\n');
        byRoute.values().stream().sorted(Comparator.comparing(RouteScore::route)).forEach(s -> out.append(String.format(
                Locale.ROOT, "%s\t%.2f\t%.2f\t%d\t%.1f%n", s.route(), s.chrF(), s.bleu(), s.sentences(), s.msPerSentence())));
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    }

    public Optional<RouteScore> of(Route route) {
        return of(route.signature());
    }

    /** The score of a route by its signature (speech routes have only a signature: {@link SpeechRoutes}). */
    public Optional<RouteScore> of(String signature) {
        return Optional.ofNullable(byRoute.get(signature));
    }

    /** Every score, in no particular order. */
    public Collection<RouteScore> all() {
        return byRoute.values();
    }

    public int size() {
        return byRoute.size();
    }
}
