package io.parley.gateway.room;

import io.parley.gateway.journal.TranscriptStore;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.speech.recognizer.Utterance;
import io.parley.translate.service.Glossary;
import io.parley.translate.service.TextTranslator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One captioning session: its speakers, its viewers, and the order of everything said in it.
 *
 * <p>Every caption gets a room-wide {@code seq} here, under the room's lock, and is journaled
 * and handed to viewers under the same lock, so that a viewer joining with {@code since}
 * gets the journal up to some point and then every live caption after it, with no gap and
 * no repeat.
 */
public final class Room {

    private final String id;
    private final RoomTokens tokens;
    private final RoomSettings settings;
    private final Instant created = Instant.now();
    private final long createdNanos = System.nanoTime();
    private final TranscriptStore journal;
    private final TextTranslator translator;
    /** The room's glossary; replaced whole by PUT, read by every translation and by the recognizer's hints. */
    private volatile Glossary glossary = Glossary.EMPTY;
    private final Executor executor;
    private final GatewayMetrics metrics;

    // Guarded by this.
    private long seq;
    private long nextSegment;
    private final Set<CaptionSink> originalViewers = new LinkedHashSet<>();
    private final Map<String, LanguageChannel> channels = new TreeMap<>();
    private final Set<SpeakerStream> speakers = new LinkedHashSet<>();
    private long lastActivityNanos = System.nanoTime();
    private boolean closed;

    public Room(String id, RoomTokens tokens, RoomSettings settings, TranscriptStore journal, TextTranslator translator,
                Executor executor, GatewayMetrics metrics) {
        this.id = id;
        this.tokens = tokens;
        this.settings = settings;
        this.journal = journal;
        this.translator = translator;
        this.executor = executor;
        this.metrics = metrics;
    }

    public String id() {
        return id;
    }

    public RoomTokens tokens() {
        return tokens;
    }

    public RoomSettings settings() {
        return settings;
    }

    public Instant created() {
        return created;
    }

    /** Seconds since the room was created. */
    double secondsSinceCreation() {
        return (System.nanoTime() - createdNanos) / 1e9;
    }

    // ---- speakers ----

    /** Registers a speaker stream; null if the room is closed or has as many speakers as allowed. */
    public synchronized SpeakerStream addSpeaker(String name, String language, CaptionSink echo, int maxSpeakers) {
        if (closed || speakers.size() >= maxSpeakers) {
            return null;
        }
        SpeakerStream s = new SpeakerStream(this, name, language, echo, secondsSinceCreation());
        speakers.add(s);
        touch();
        return s;
    }

    synchronized void speakerEnded(SpeakerStream s) {
        speakers.remove(s);
        touch();
    }

    synchronized long allocateSegment() {
        return nextSegment++;
    }

    synchronized void publishPartial(SpeakerStream from, long segment, Utterance u) {
        Caption c = caption(from, segment, u, false);
        from.echo().send(c);
        sendAll(originalViewers, c);
        String stable = stablePrefix(u);
        for (LanguageChannel ch : channels.values()) {
            if (ch.lang().equals(c.lang())) {
                sendAll(ch.viewers(), c);
            } else if (!ch.viewers().isEmpty()) {
                ch.submitPartial(c, stable);
            }
        }
        touch();
    }

    /** The words of a partial the recognizer will not change any more: all a translation of it may show. */
    private static String stablePrefix(Utterance u) {
        int n = Math.min(u.stableWords(), u.words().size());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String w = u.words().get(i).word().strip();
            if (!w.isEmpty()) {
                b.append(b.isEmpty() ? "" : " ").append(w);
            }
        }
        return b.toString();
    }

    /** Called by a channel once a partial's stable prefix is translated. */
    synchronized void publishPartialInChannel(LanguageChannel channel, Caption c) {
        sendAll(channel.viewers(), c);
    }

    /** Runs a channel's bookkeeping after a partial's translation under the room's lock, as all channel work is. */
    void afterPartialTranslation(Runnable work) {
        synchronized (this) {
            work.run();
        }
    }

    public Glossary glossary() {
        return glossary;
    }

    public void setGlossary(Glossary g) {
        this.glossary = g;
        touch();
    }

    synchronized void publishFinal(SpeakerStream from, long segment, Utterance u) {
        Caption c = caption(from, segment, u, true);
        if (!c.text().isBlank()) {
            journal.append(id, TranscriptStore.ORIGINAL, c);
        }
        from.echo().send(c);
        sendAll(originalViewers, c);
        channels.values().forEach(ch -> ch.submit(c));
        touch();
    }

    private Caption caption(SpeakerStream from, long segment, Utterance u, boolean isFinal) {
        return new Caption(++seq, segment, isFinal, u.language(), u.text(), u.start(), u.end(),
                from.startOffset(), from.name(), u.words(), null, List.of(), false);
    }

    /** Called by a channel, in seq order, once a final is ready in its language. */
    synchronized void publishInChannel(LanguageChannel channel, Caption c) {
        if (!c.text().isBlank()) {
            journal.append(id, channel.lang(), c);
        }
        sendAll(channel.viewers(), c);
    }

    /** Sends to a snapshot of the viewers, so that a viewer leaving during delivery cannot upset it. */
    private static void sendAll(Set<CaptionSink> viewers, Caption c) {
        for (CaptionSink v : List.copyOf(viewers)) {
            v.send(c);
        }
    }

    // ---- viewers ----

    /**
     * Adds a viewer and replays to it every final after {@code since}.
     *
     * @param lang the language it reads, or null for every caption in the language it was spoken
     * @return false if the room is closed or full
     */
    public synchronized boolean addViewer(CaptionSink viewer, String lang, long since, int maxViewers) {
        if (closed || viewerCount() >= maxViewers) {
            return false;
        }
        Set<CaptionSink> target = lang == null ? originalViewers : channel(lang).viewers();
        journal.since(id, lang == null ? TranscriptStore.ORIGINAL : lang, since).forEach(viewer::replay);
        target.add(viewer);
        touch();
        return true;
    }

    public synchronized void removeViewer(CaptionSink viewer) {
        originalViewers.remove(viewer);
        channels.values().forEach(ch -> ch.viewers().remove(viewer));
        touch();
    }

    /** The channel for a language, created on first use and filled with every earlier final. */
    private LanguageChannel channel(String lang) {
        LanguageChannel ch = channels.get(lang);
        if (ch == null) {
            ch = new LanguageChannel(this, lang, translator, executor, metrics);
            channels.put(lang, ch);
            for (Caption earlier : journal.all(id, TranscriptStore.ORIGINAL)) {
                ch.submit(earlier);
            }
        }
        return ch;
    }

    // ---- transcript ----

    /**
     * Every final in a language (null: as spoken), once any translation still under way has
     * been published.
     */
    public CompletableFuture<List<Caption>> transcript(String lang) {
        String stream = lang == null ? TranscriptStore.ORIGINAL : lang;
        CompletableFuture<Void> ready;
        synchronized (this) {
            ready = lang == null ? CompletableFuture.completedFuture(null) : channel(lang).caughtUp();
        }
        return ready.thenApply(v -> journal.all(id, stream));
    }

    // ---- state ----

    public synchronized int viewerCount() {
        return originalViewers.size() + channels.values().stream().mapToInt(ch -> ch.viewers().size()).sum();
    }

    /** Caption bytes waiting to be taken by this room's viewers' connections. */
    public synchronized long unsentBytes() {
        long sum = originalViewers.stream().mapToLong(CaptionSink::unsentBytes).sum();
        for (LanguageChannel ch : channels.values()) {
            sum += ch.viewers().stream().mapToLong(CaptionSink::unsentBytes).sum();
        }
        return sum;
    }

    public synchronized List<SpeakerStream> speakers() {
        return new ArrayList<>(speakers);
    }

    public synchronized List<String> languagesWatched() {
        return new ArrayList<>(channels.keySet());
    }

    public synchronized long lastSeq() {
        return seq;
    }

    public int finalCount() {
        return journal.count(id, TranscriptStore.ORIGINAL);
    }

    /** True if nobody is connected and nothing happened for {@code idleNanos}. */
    public synchronized boolean idleFor(long idleNanos) {
        return speakers.isEmpty() && viewerCount() == 0 && System.nanoTime() - lastActivityNanos > idleNanos;
    }

    synchronized void close() {
        closed = true;
    }

    private void touch() {
        lastActivityNanos = System.nanoTime();
    }
}
