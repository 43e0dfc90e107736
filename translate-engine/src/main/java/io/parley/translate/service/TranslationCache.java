package io.parley.translate.service;

import io.parley.translate.api.Translation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The translations of recent sentences, so that the same sentence is not translated twice: a
 * final re-read after a reconnect, a phrase every caller says ("thank you"), the stable prefix
 * of a partial that has not grown. Least recently used entries go first.
 */
public final class TranslationCache {

    /**
     * A sentence along a route (its signature, which names the direction and the engines), under
     * a glossary (whose terms change the translation).
     */
    record Key(String route, String sentence, Glossary glossary) {
    }

    private final int capacity;
    private final LinkedHashMap<Key, Translation> entries;
    private long hits;
    private long misses;

    public TranslationCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("cache capacity must not be negative");
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Translation> eldest) {
                return size() > TranslationCache.this.capacity;
            }
        };
    }

    synchronized Translation get(Key key) {
        Translation t = entries.get(key);
        if (t == null) {
            misses++;
        } else {
            hits++;
        }
        return t;
    }

    synchronized void put(Key key, Translation t) {
        if (capacity > 0) {
            entries.put(key, t);
        }
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized int size() {
        return entries.size();
    }
}
