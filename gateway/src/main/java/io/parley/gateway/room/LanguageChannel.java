package io.parley.gateway.room;

import io.parley.gateway.store.TranscriptStore;
import io.parley.translate.service.TextTranslator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A room's captions in one language: every final of the room, translated once here however many
 * viewers read it, committed to the store in the order of its source and then sent.
 *
 * <p>The channel walks the room's original finals in {@code seq} order. While it is behind (it
 * was just made, or it slept while nobody watched), it reads the originals it has not translated
 * from the store, a page at a time; once it has caught up with the store it takes each new final
 * as the room commits it. A few translations run at once; they are published in order. A
 * translation that fails or takes too long is delivered in the original language, marked
 * untranslated: a final is never lost, nor held up forever.
 *
 * <p>A channel nobody has watched for a while goes to sleep: it stops translating, and wakes up
 * where it stopped when someone asks for the language again. All methods run on the room's chain,
 * which the room keeps to itself: what the channel waits for (a page of the store, a
 * translation) comes back to it through the one way the room hands it, {@link OnRoom}.
 */
final class LanguageChannel {

    /** How the channel's work gets back onto its room once something it waits for is done. */
    interface OnRoom {
        /**
         * Runs {@code then} on the room's chain once {@code stage} completes (with its value or
         * its failure); the stage {@code then} returns gates the room's next task.
         */
        <T> void after(java.util.concurrent.CompletionStage<T> stage,
                       java.util.function.BiFunction<T, Throwable, java.util.concurrent.CompletionStage<?>> then);
    }

    private static final Logger LOG = Logger.getLogger(LanguageChannel.class.getName());

    /** Translations under way at once; more would only queue in the engine. */
    static final int IN_FLIGHT = 4;
    /** Originals read from the store at a time while catching up. */
    static final int PAGE = 32;
    /** Partials are translated at most this often per segment (and only when their stable prefix grew). */
    static final long PARTIAL_INTERVAL_NANOS = 400_000_000L;

    private final Room room;
    private final OnRoom onRoom;
    private final String lang;
    private final Set<CaptionSink> viewers = new LinkedHashSet<>();

    /** The newest final of this language in the store. */
    private long committedSeq;
    private long committedCount;
    /** The newest original handed to a translation (or waiting for one). */
    private long queuedSeq;
    private boolean caughtUp;
    private boolean reading;
    private boolean asleep;
    /** Viewers and transcript readers that keep the channel awake. */
    private int watchers;
    private long unwatchedSinceNanos = System.nanoTime();

    private final ArrayDeque<Caption> waiting = new ArrayDeque<>();
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private boolean publishing;
    private final List<CompletableFuture<Void>> caughtUpWaiters = new ArrayList<>();

    private final java.util.Map<Long, PartialState> partials = new java.util.HashMap<>();

    private record InFlight(Caption source, CompletableFuture<Caption> translated) {
    }

    /**
     * @param stored what the store has of this language
     * @param asleep whether it starts asleep (a language found in the store at load, which nobody
     *               watches yet)
     */
    LanguageChannel(Room room, OnRoom onRoom, String lang, TranscriptStore.StreamState stored, boolean asleep) {
        this.room = room;
        this.onRoom = onRoom;
        this.lang = lang;
        this.committedSeq = stored.lastSeq();
        this.committedCount = stored.count();
        this.queuedSeq = stored.lastSeq();
        this.asleep = true;
        if (!asleep) {
            wake();
        }
    }

    String lang() {
        return lang;
    }

    Set<CaptionSink> viewers() {
        return viewers;
    }

    long lastCommittedSeq() {
        return committedSeq;
    }

    // ---- watching ----

    void watch() {
        watchers++;
        wake();
    }

    void unwatch() {
        watchers = Math.max(0, watchers - 1);
        if (watchers == 0) {
            unwatchedSinceNanos = System.nanoTime();
        }
    }

    private void wake() {
        if (asleep) {
            asleep = false;
            caughtUp = false;
            readMore();
        }
    }

    /** Sleeps if nobody has watched for the room's channel idle time. */
    void sleepIfIdle(long nowNanos) {
        if (asleep || watchers > 0 || !viewers.isEmpty()
                || nowNanos - unwatchedSinceNanos < room.services().policy().channelIdle().toNanos()) {
            return;
        }
        asleep = true;
        caughtUp = false;
        waiting.clear();
        partials.clear();
        // Translations under way are still published; waking up continues after them.
        queuedSeq = inFlight.isEmpty() ? committedSeq : inFlight.peekLast().source().seq();
        LOG.fine(() -> "room " + room.id() + ": nobody reads " + lang + "; its translation stops until someone does");
    }

    // ---- finals ----

    /** A final the room has just committed. */
    void submit(Caption source) {
        partials.remove(source.segment());
        if (asleep || !caughtUp || source.seq() <= queuedSeq) {
            return; // asleep: nobody reads it; behind: the store will give it to us in turn
        }
        queuedSeq = source.seq();
        if (source.text().isBlank()) {
            return; // an empty final only closes partials, which were never shown in other languages
        }
        waiting.add(source);
        pump();
    }

    /** Reads the next originals this channel has not taken from the store. */
    private void readMore() {
        if (reading || caughtUp || asleep) {
            return;
        }
        reading = true;
        onRoom.after(room.services().store().page(room.id(), TranscriptStore.ORIGINAL, queuedSeq, PAGE), (page, error) -> {
            reading = false;
            if (error != null) {
                room.services().metrics().storeError();
                LOG.log(Level.WARNING, "room " + room.id() + ": reading finals to translate into " + lang
                        + " failed; trying again", RoomChain.unwrap(error));
                onRoom.after(CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS)),
                        (v, e) -> {
                            readMore();
                            return DONE;
                        });
                return DONE;
            }
            if (asleep) {
                return DONE;
            }
            for (Caption c : page) {
                if (c.seq() > queuedSeq) {
                    queuedSeq = c.seq();
                    waiting.add(c);
                }
            }
            // Every original the store has is taken: from now on they come from the room.
            if (page.size() < PAGE && room.originalLastSeq() <= queuedSeq) {
                caughtUp = true;
            }
            pump();
            return DONE;
        });
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** Starts translations while there is room for them; reads more from the store when behind. */
    private void pump() {
        while (inFlight.size() < IN_FLIGHT && !waiting.isEmpty()) {
            Caption source = waiting.poll();
            CompletableFuture<Caption> translated = translate(source);
            inFlight.add(new InFlight(source, translated));
            onRoom.after(translated, (c, e) -> publishReady());
        }
        if (!caughtUp && waiting.size() < PAGE / 2) {
            readMore();
        }
        notifyIfCaughtUp();
    }

    /** Commits and sends the translations that are done, in order of their sources. */
    private CompletableFuture<Void> publishReady() {
        if (publishing || inFlight.isEmpty() || !inFlight.peek().translated().isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        publishing = true;
        InFlight head = inFlight.poll();
        Caption caption = head.translated().join(); // never fails: see translate
        return room.publishInChannel(this, caption).toCompletableFuture().whenComplete((v, e) -> {
            publishing = false;
            pump();
        }).thenCompose(v -> publishReady());
    }

    /** On the chain, once a final of this language is in the store. */
    void committed(Caption c) {
        committedSeq = Math.max(committedSeq, c.seq());
        if (!c.text().isBlank()) {
            committedCount++;
            room.trimIfOver(lang, committedCount, k -> committedCount = k);
        }
    }

    private CompletableFuture<Caption> translate(Caption source) {
        if (source.lang().equals(lang)) {
            return CompletableFuture.completedFuture(source);
        }
        if (lang.equals("en") && source.speechEnglish() != null) {
            // The recognizer translated the speech itself, where that measured better than the text route.
            room.services().metrics().translated();
            return CompletableFuture.completedFuture(source.inEnglishFromSpeech());
        }
        return translateAsync(source.lang(), source.text())
                .orTimeout(room.services().policy().translationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> {
                    if (error != null) {
                        // The final is still delivered, in its own language and marked so: never lost.
                        LOG.log(Level.FINE, "translation " + source.lang() + "->" + lang + " failed", error);
                        room.services().metrics().translationFailed();
                        return source.asUntranslated();
                    }
                    room.services().metrics().translated();
                    return source.translated(lang, result.text(), result.flagged());
                });
    }

    /** Translates with the room's glossary, submitted from a worker (an engine may block its caller), not the chain. */
    private CompletableFuture<TextTranslator.Result> translateAsync(String from, String text) {
        TextTranslator translator = room.services().translator();
        return CompletableFuture.supplyAsync(() -> translator.translate(from, lang, text, room.glossary(),
                                TextTranslator.Use.CAPTIONS),
                        room.services().translations())
                .thenCompose(f -> f);
    }

    // ---- caught up ----

    /** Completes once every final the store has is committed in this language too. */
    CompletableFuture<Void> caughtUp() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        caughtUpWaiters.add(f);
        notifyIfCaughtUp();
        return f;
    }

    /** Like {@link #caughtUp()} for a channel that is awake; a sleeping one has nothing under way. */
    CompletableFuture<Void> caughtUpIfAwake() {
        return asleep && inFlight.isEmpty() ? CompletableFuture.completedFuture(null) : caughtUp();
    }

    private void notifyIfCaughtUp() {
        if (caughtUpWaiters.isEmpty()) {
            return;
        }
        boolean done = (caughtUp || asleep) && waiting.isEmpty() && inFlight.isEmpty() && !publishing;
        if (done) {
            List<CompletableFuture<Void>> ready = new ArrayList<>(caughtUpWaiters);
            caughtUpWaiters.clear();
            ready.forEach(f -> f.complete(null));
        }
    }

    // ---- partials ----

    /**
     * Takes a partial of another language: its stable prefix (the words the recognizer will not
     * change) is translated, at most every {@link #PARTIAL_INTERVAL_NANOS} per segment and only
     * when it has grown, and shown as this language's partial unless the segment's final got
     * here first. Partials are never stored, and one that comes too soon is simply skipped.
     */
    void submitPartial(Caption partial, String stablePrefix) {
        if (asleep || viewers.isEmpty() || stablePrefix.isBlank()) {
            return;
        }
        if (partials.size() > 256) {
            partials.clear(); // segments whose final never came (a speaker that vanished); partials may be lost
        }
        PartialState st = partials.computeIfAbsent(partial.segment(), s -> new PartialState());
        long now = System.nanoTime();
        if (st.inFlight || stablePrefix.equals(st.lastPrefix) || now - st.lastNanos < PARTIAL_INTERVAL_NANOS) {
            return;
        }
        st.inFlight = true;
        st.lastPrefix = stablePrefix;
        st.lastNanos = now;
        Caption source = partial.withText(stablePrefix);
        onRoom.after(translateAsync(partial.lang(), stablePrefix)
                .orTimeout(room.services().policy().translationTimeout().toMillis(), TimeUnit.MILLISECONDS), (result, error) -> {
                    st.inFlight = false;
                    // Published only while the segment is still open: its final removes its state.
                    if (error == null && partials.get(partial.segment()) == st) {
                        Room.sendAll(viewers, source.translated(lang, result.text(), result.flagged()));
                    }
                    return DONE;
                });
    }

    /** Per segment: the last stable prefix translated, when, and whether a translation is running. */
    private static final class PartialState {
        String lastPrefix = "";
        long lastNanos;
        boolean inFlight;
    }
}
