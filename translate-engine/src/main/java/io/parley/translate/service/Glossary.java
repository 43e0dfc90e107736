package io.parley.translate.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A room's glossary: terms whose translation is forced, and terms that must not be translated
 * at all (names, products). Both engines honour it the same way: the terms are taken out of the
 * text before the engine sees it and put back, translated as told, in its output
 * ({@link ProtectedSpans}). The terms are also offered to the speech recognizer as hints.
 *
 * @param entries the terms, longest first (so that "Acme Cloud" wins over "Acme")
 */
public record Glossary(List<Entry> entries) {

    public static final Glossary EMPTY = new Glossary(List.of());
    public static final int MAX_ENTRIES = 500;
    public static final int MAX_TERM_LENGTH = 100;

    /**
     * One term.
     *
     * @param term         the words as spoken or written in the source language
     * @param translations its forced translation per target language; a target not listed
     *                     gets the term unchanged — and so does every target when the map is
     *                     empty (a do-not-translate term)
     */
    public record Entry(String term, Map<String, String> translations) {
        public Entry {
            term = term.strip();
            translations = Map.copyOf(translations);
            if (term.isEmpty() || term.length() > MAX_TERM_LENGTH || term.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("a glossary term must be 1 to " + MAX_TERM_LENGTH
                        + " printable characters: '" + term + "'");
            }
            for (var t : translations.entrySet()) {
                if (t.getValue().isBlank() || t.getValue().length() > MAX_TERM_LENGTH) {
                    throw new IllegalArgumentException("the " + t.getKey() + " translation of '" + term
                            + "' must be 1 to " + MAX_TERM_LENGTH + " characters");
                }
            }
        }

        /** What the term becomes in {@code target}. */
        public String in(String target) {
            return translations.getOrDefault(target, term);
        }
    }

    public Glossary {
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a glossary holds at most " + MAX_ENTRIES + " terms, not " + entries.size());
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt((Entry e) -> e.term().length()).reversed());
        entries = List.copyOf(sorted);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The entry for a term, compared without regard to case. */
    public Optional<Entry> find(String term) {
        return entries.stream().filter(e -> e.term().equalsIgnoreCase(term)).findFirst();
    }

    /** The terms, as hints for a recognizer. */
    public List<String> terms() {
        return entries.stream().map(Entry::term).toList();
    }
}
