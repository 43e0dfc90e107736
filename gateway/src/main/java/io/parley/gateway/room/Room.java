package io.parley.gateway.room;

import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.store.RoomRecord;
import io.parley.gateway.store.Store;
import io.parley.gateway.store.TranscriptStore;
import io.parley.speech.recognizer.Utterance;
import io.parley.translate.service.Glossary;
import io.parley.translate.service.TextTranslator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One captioning session: its speakers, its viewers, and the order of everything said in it.
 *
 * <p>Everything that orders captions runs on the room's {@link RoomChain}, one task at a time:
 * a caption gets its room-wide {@code seq} there, a final is committed to the store there before
 * it is sent, and a viewer joins the live audience there once its replay has caught up with the
 * store. So a viewer joining with {@code since} gets the store up to some point and then every
 * live caption after it, with no gap and no repeat, and no lock is ever held while writing to a
 * socket or waiting for the store.
 */
public final class Room {

    /** Partials are skipped while this many tasks wait in the room: a partial late is worth nothing. */
    static final int PARTIAL_BACKLOG_LIMIT = 64;

    /** What every room of a gateway shares. */
    public record Services(Store store, TextTranslator translator, Executor translations, Executor roomWork,
                           GatewayMetrics metrics, RoomPolicy policy, RoomFleet fleet) {

        /** A gateway that runs alone. */
        public Services(Store store, TextTranslator translator, Executor translations, Executor roomWork,
                        GatewayMetrics metrics, RoomPolicy policy) {
            this(store, translator, translations, roomWork, metrics, policy, null);
        }
    }

    private final String id;
    private final RoomSettings settings;
    private final Instant created;
    private final Duration retention;
    private final long tokensNotBefore;
    private final Services services;
    private final RoomChain chain;
    /** The room's glossary; replaced whole by PUT, read by every translation and by the recognizer's hints. */
    private volatile Glossary glossary;
    private final AtomicLong nextSegment;
    private volatile long lastActivityMillis = System.currentTimeMillis();
    /** Why the room is closing, for viewers that finish their replay after it began. */
    private record Goodbye(String code, String message, short closeCode, long retryAfterMs) {
    }

    private volatile Goodbye goodbye = new Goodbye(ErrorCodes.ROOM_CLOSED, "the room was closed",
            io.parley.gateway.ws.CloseCodes.GONE, -1);

    // On the chain only.
    private final SeqNumbers seqs;
    private long originalCount;
    private long originalLastSeq;
    private final Audience audience = new Audience();
    private final RoomSpeakers speakers = new RoomSpeakers();

    private Room(RoomRecord record, RoomSettings settings, Glossary glossary, Map<String, TranscriptStore.StreamState> streams,
                 Services services) {
        this.id = record.id();
        this.settings = settings;
        this.created = record.created();
        this.retention = record.retention();
        this.tokensNotBefore = record.tokensNotBefore();
        this.services = services;
        this.chain = new RoomChain(services.roomWork(), id);
        this.glossary = glossary;
        // Numbering continues after everything a viewer may have seen before a restart.
        this.seqs = new SeqNumbers(record.seqReserved(), upTo -> CommitRetry.untilDone(
                () -> services.store().reserveSeq(id, upTo), "room " + id + " seq reservation",
                e -> services.metrics().storeError()));
        TranscriptStore.StreamState original = streams.getOrDefault(TranscriptStore.ORIGINAL, TranscriptStore.StreamState.EMPTY);
        this.originalCount = original.count();
        this.originalLastSeq = original.lastSeq();
        long lastSegment = streams.values().stream().mapToLong(TranscriptStore.StreamState::lastSegment).max().orElse(-1);
        this.nextSegment = new AtomicLong(lastSegment + 1);
        streams.forEach((stream, state) -> {
            if (!stream.equals(TranscriptStore.ORIGINAL)) {
                audience.channels.put(stream, new LanguageChannel(this, onRoom, stream, state, true));
            }
        });
    }

    /** A room as the store has it, with what its transcript holds. */
    static CompletableFuture<Room> load(RoomRecord record, Services services) {
        RoomSettings settings = RoomSettings.fromJson(record.settings());
        Glossary glossary = io.parley.gateway.protocol.GlossaryJson.fromStored(record.glossary());
        return services.store().streams(record.id()).thenApply(streams -> new Room(record, settings, glossary, streams, services));
    }

    public String id() {
        return id;
    }

    public RoomSettings settings() {
        return settings;
    }

    public Instant created() {
        return created;
    }

    /** How long finals are kept; null: until the room closes. */
    public Duration retention() {
        return retention;
    }

    /** Tokens issued before this epoch second do not open the room. */
    public long tokensNotBefore() {
        return tokensNotBefore;
    }

    Services services() {
        return services;
    }

    /** The fleet this room's node is part of; null when the gateway runs alone. */
    public RoomFleet fleet() {
        return services.fleet();
    }

    /** Completes once every task submitted to the room so far has run: for tests. */
    CompletableFuture<Void> settled() {
        return chain.run(() -> null);
    }

    /** The one way the room's language channels get back onto its chain (the chain stays the room's). */
    private final LanguageChannel.OnRoom onRoom = new LanguageChannel.OnRoom() {
        @Override
        public <T> void after(CompletionStage<T> stage,
                              java.util.function.BiFunction<T, Throwable, CompletionStage<?>> then) {
            stage.whenComplete((value, error) -> chain.submit(() -> {
                @SuppressWarnings("unchecked")
                CompletionStage<Object> next = (CompletionStage<Object>) then.apply(value, error);
                return next;
            }));
        }
    };

    /** Seconds since the room was created, on the wall clock (it may have outlived a restart). */
    public double secondsSinceCreation() {
        return Math.max(0, (System.currentTimeMillis() - created.toEpochMilli()) / 1e3);
    }

    public boolean isClosing() {
        return speakers.isClosing();
    }

    // ---- speakers ----

    /**
     * Registers a speaker stream.
     *
     * @throws RoomRefusal {@code room_closed} or {@code capacity_reached}
     */
    public SpeakerStream addSpeaker(String name, String language, CaptionSink echo) {
        return addSpeaker(name, language, echo, secondsSinceCreation());
    }

    /**
     * Registers a speaker stream whose audio began {@code startOffset} seconds after the room was
     * made (a stream moved here from a node that died carries its own time line on).
     */
    public SpeakerStream addSpeaker(String name, String language, CaptionSink echo, double startOffset) {
        SpeakerStream s = new SpeakerStream(this, name, language, echo, startOffset);
        speakers.add(s, services.policy().maxSpeakers(), id);
        touch();
        return s;
    }

    /**
     * A speaker's stream has ended. Completes on the chain, after every caption the stream
     * published before it has been committed and sent: what follows (the speaker's "stopped")
     * never overtakes its last final.
     */
    CompletableFuture<Void> speakerEnded(SpeakerStream s) {
        CompletableFuture<Void> gone = speakers.remove(s);
        touch();
        return chain.run(() -> {
            if (gone != null) {
                gone.complete(null);
            }
            return null;
        });
    }

    long allocateSegment() {
        return nextSegment.getAndIncrement();
    }

    public List<SpeakerStream> speakers() {
        return speakers.list();
    }

    // ---- publishing ----

    void publishPartial(SpeakerStream from, long segment, Utterance u) {
        touch();
        if (chain.pending() > PARTIAL_BACKLOG_LIMIT) {
            services.metrics().partialSkipped();
            return;
        }
        chain.submit(() -> seqs.next().thenApply(n -> {
            Caption c = caption(n, from, segment, u, false);
            from.echo().send(c);
            sendAll(audience.asSpoken, c);
            String stable = stablePrefix(u);
            for (LanguageChannel ch : audience.channels.values()) {
                if (ch.lang().equals(c.lang())) {
                    sendAll(ch.viewers(), c);
                } else {
                    ch.submitPartial(c, stable);
                }
            }
            return null;
        }));
    }

    void publishFinal(SpeakerStream from, long segment, Utterance u) {
        touch();
        chain.submit(() -> seqs.next().thenCompose(n -> {
            Caption c = caption(n, from, segment, u, true);
            CompletionStage<Void> committed = c.text().isBlank() ? CompletableFuture.completedFuture(null)
                    : commit(TranscriptStore.ORIGINAL, c).thenRun(() -> {
                        originalCount++;
                        originalLastSeq = c.seq();
                        trimIfOver(TranscriptStore.ORIGINAL, originalCount, k -> originalCount = k);
                    });
            return chain.resume(committed).thenRun(() -> {
                from.echo().send(c);
                sendAll(audience.asSpoken, c);
                audience.channels.values().forEach(ch -> ch.submit(c));
            });
        }));
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

    private Caption caption(long n, SpeakerStream from, long segment, Utterance u, boolean isFinal) {
        return new Caption(n, segment, isFinal, u.language(), u.text(), u.start(), u.end(),
                from.startOffset(), from.name(), u.words(), null, List.of(), false,
                isFinal && !"en".equals(u.language()) ? u.english() : null, false);
    }

    /** Commits a final of a stream, however many tries it takes. */
    CompletableFuture<Void> commit(String stream, Caption c) {
        return CommitRetry.untilDone(() -> services.store().append(id, stream, c),
                "final " + c.seq() + " of room " + id + " (" + stream + ")", e -> services.metrics().storeError());
    }

    /** Keeps a stream within the stored-finals cap; the trim runs beside the room, not in its way. */
    void trimIfOver(String stream, long count, java.util.function.LongConsumer newCount) {
        int cap = services.policy().maxStoredFinals();
        if (count > cap) {
            newCount.accept(cap);
            services.store().trim(id, stream, cap).exceptionally(e -> {
                services.metrics().storeError();
                return 0;
            });
        }
    }

    /** Called by a channel, in seq order, once a final is ready in its language: commit, then send. */
    CompletionStage<Void> publishInChannel(LanguageChannel channel, Caption c) {
        CompletionStage<Void> committed = c.text().isBlank() ? CompletableFuture.completedFuture(null)
                : commit(channel.lang(), c);
        return chain.resume(committed).thenRun(() -> {
            channel.committed(c);
            sendAll(channel.viewers(), c);
        });
    }

    /** Sends to a snapshot of the viewers, so that a viewer leaving during delivery cannot upset it. */
    static void sendAll(Set<CaptionSink> viewers, Caption c) {
        for (CaptionSink v : List.copyOf(viewers)) {
            try {
                v.send(c);
            } catch (RuntimeException e) {
                // One broken connection must not keep a caption from the others.
                java.util.logging.Logger.getLogger(Room.class.getName()).log(java.util.logging.Level.FINE,
                        "sending a caption failed", e);
            }
        }
    }

    // ---- glossary ----

    public Glossary glossary() {
        return glossary;
    }

    /** Replaces the glossary once the store has it. */
    public CompletableFuture<Void> setGlossary(Glossary g) {
        touch();
        return services.store().updateGlossary(id, io.parley.gateway.protocol.GlossaryJson.toJson(g).encode())
                .thenRun(() -> {
                    glossary = g;
                    if (services.fleet() != null) {
                        services.fleet().glossaryChanged(id); // the room's worker translates and hints with it
                    }
                });
    }

    /** Another node of the fleet changed the glossary: this copy takes what the store has. */
    void glossaryStored(String stored) {
        glossary = io.parley.gateway.protocol.GlossaryJson.fromStored(stored);
    }

    // ---- viewers ----

    /**
     * Admits a viewer: replays the finals it asks for from the store, a page at a time as its
     * connection takes them, then adds it to the live audience. Fails with {@link RoomRefusal}
     * when the room is closed or full.
     *
     * @param lang  the language it reads, or null for every caption in the language it was spoken
     * @param since replay every final after this seq; negative: only the last {@code last} finals
     */
    public CompletableFuture<Void> addViewer(CaptionSink viewer, String lang, long since, int last) {
        return addViewer(viewer, lang, since, last, () -> { });
    }

    /**
     * Adds a viewer; {@code admitted} runs on the chain once the room has let it in and before
     * anything is sent to it (a viewer socket says "ready" there), so that a viewer told it is in
     * learns of the room's end by a {@code closing} message like every other viewer.
     */
    public CompletableFuture<Void> addViewer(CaptionSink viewer, String lang, long since, int last, Runnable admitted) {
        if (services.fleet() != null) {
            if (speakers.isClosing()) {
                return CompletableFuture.failedFuture(new RoomRefusal(ErrorCodes.ROOM_CLOSED, "the room '" + id + "' is closed"));
            }
            return services.fleet().addViewer(this, viewer, lang, since, last, admitted);
        }
        return addLocalViewer(viewer, lang, since, last, admitted);
    }

    /**
     * Adds a viewer to this process's copy of the room: every viewer of a gateway that runs alone;
     * in a fleet, the bus that carries the room's captions to the edges, on the node that runs
     * the room's speech.
     */
    public CompletableFuture<Void> addLocalViewer(CaptionSink viewer, String lang, long since, int last, Runnable admitted) {
        return chain.run(() -> {
            if (speakers.isClosing()) {
                throw new RoomRefusal(ErrorCodes.ROOM_CLOSED, "the room '" + id + "' is closed");
            }
            if (audience.recount() >= services.policy().maxViewers()) {
                throw new RoomRefusal(ErrorCodes.CAPACITY, "this room has as many viewers as it allows ("
                        + services.policy().maxViewers() + ")");
            }
            LanguageChannel ch = lang == null ? null : channel(lang);
            if (ch != null) {
                ch.watch();
            }
            audience.joinStarted();
            touch();
            admitted.run();
            return ch;
        }).thenCompose(ch -> {
            String stream = lang == null ? TranscriptStore.ORIGINAL : lang;
            return new ViewerReplay(services.store(), id, chain, viewer, stream,
                    cursor -> goLiveIfCaughtUp(viewer, stream, ch, cursor)).run(since, last).whenComplete((v, e) -> {
                    if (e != null) {
                        chain.run(() -> {
                            audience.joinEnded();
                            if (ch != null) {
                                ch.unwatch();
                            }
                            return null;
                        });
                    }
                });
        });
    }

    /**
     * Adds a sink that gets every caption published from now on, with no replay: in a fleet, the
     * bus that carries the room's captions in one language to the edges. Live in the same task
     * that wakes the language, so that no final of it is committed before the sink hears of it.
     */
    public CompletableFuture<Void> addLiveSink(CaptionSink sink, String lang) {
        return chain.run(() -> {
            LanguageChannel ch = lang == null ? null : channel(lang);
            if (ch != null) {
                ch.watch();
            }
            audience.goLive(sink, ch);
            return null;
        });
    }

    /**
     * On the chain, at the end of a replay: whether {@code stream} has finals after
     * {@code cursor}; if not, the viewer is live from now on and gets everything after it.
     */
    boolean goLiveIfCaughtUp(CaptionSink viewer, String stream, LanguageChannel ch, long cursor) {
        long last = ch == null ? originalLastSeq : ch.lastCommittedSeq();
        if (last > cursor) {
            return false;
        }
        audience.joinEnded();
        if (speakers.isClosing()) {
            Goodbye g = goodbye;
            viewer.closing(g.code(), g.message(), g.closeCode(), g.retryAfterMs());
            if (ch != null) {
                ch.unwatch();
            }
            return true;
        }
        audience.goLive(viewer, ch);
        return true;
    }

    public void removeViewer(CaptionSink viewer) {
        if (services.fleet() != null) {
            services.fleet().removeViewer(this, viewer);
            return;
        }
        removeLocalViewer(viewer);
    }

    public void removeLocalViewer(CaptionSink viewer) {
        chain.run(() -> {
            audience.remove(viewer);
            touch();
            return null;
        });
    }

    /** The channel for a language (on the chain), created on first use; refused past the room's languages. */
    private LanguageChannel channel(String lang) {
        LanguageChannel ch = audience.channels.get(lang);
        if (ch == null) {
            if (audience.channels.size() >= services.policy().maxLanguages()) {
                throw new RoomRefusal(ErrorCodes.CAPACITY, "this room is already translated into "
                        + services.policy().maxLanguages() + " languages, as many as it allows");
            }
            ch = new LanguageChannel(this, onRoom, lang, TranscriptStore.StreamState.EMPTY, false);
            audience.channels.put(lang, ch);
        }
        return ch;
    }

    /** The highest seq of the original stream the store has (on the chain). */
    long originalLastSeq() {
        return originalLastSeq;
    }

    /** Lets languages nobody watches sleep; called now and then by the registry. */
    public void releaseIdleChannels() {
        chain.run(() -> {
            long now = System.nanoTime();
            audience.channels.values().forEach(ch -> ch.sleepIfIdle(now));
            return null;
        });
    }

    // ---- transcript ----

    /**
     * Every final in a language (null: as spoken), once every final of the room has been
     * translated into it. Read from the store a page at a time.
     */
    public CompletableFuture<List<Caption>> transcript(String lang) {
        String stream = lang == null ? TranscriptStore.ORIGINAL : lang;
        if (services.fleet() != null) {
            // In a fleet the room's worker translates; this node only reads what it has stored so far.
            return TranscriptPages.readAll(services.store(), id, stream);
        }
        // The wait for the channel is not the chain's: catching up takes chain tasks of its own.
        CompletableFuture<LanguageChannel> ready = chain.run(() -> {
            if (lang == null) {
                return CompletableFuture.<LanguageChannel>completedFuture(null);
            }
            LanguageChannel ch = channel(lang);
            ch.watch();
            return ch.caughtUp().thenApply(v -> ch);
        }).thenCompose(f -> f);
        return ready.thenCompose(ch -> TranscriptPages.readAll(services.store(), id, stream).whenComplete((v, e) -> {
            if (ch != null) {
                chain.run(() -> {
                    ch.unwatch();
                    return null;
                });
            }
        }));
    }

    // ---- state ----

    /** Viewers connected, live or catching up. */
    public CompletableFuture<Integer> viewerCount() {
        return chain.run(audience::recount);
    }

    /** Viewers connected, as last counted (no waiting): for gauges. */
    public int viewersNow() {
        if (services.fleet() != null) {
            return services.fleet().viewersNow(this);
        }
        return audience.countNow();
    }

    /** A snapshot for {@code GET /v1/rooms/{room}}. */
    public record Info(int viewers, List<String> languages, long finals, long lastSeq) {
    }

    public CompletableFuture<Info> info() {
        return chain.run(() -> new Info(audience.recount(), new ArrayList<>(audience.channels.keySet()), originalCount, seqs.last()));
    }

    /** Caption bytes waiting to be taken by this room's viewers' connections (approximate, no lock). */
    public long unsentBytes() {
        long sum = 0;
        for (CaptionSink v : audience.snapshot()) {
            sum += v.unsentBytes();
        }
        return sum;
    }

    public long lastActivityMillis() {
        return lastActivityMillis;
    }

    /** True if nobody is connected and nothing happened for {@code idle}. */
    public boolean idleFor(Duration idle) {
        if (!speakers.isEmpty() || audience.countNow() > 0) {
            return false;
        }
        return System.currentTimeMillis() - lastActivityMillis > idle.toMillis();
    }

    void touch() {
        lastActivityMillis = System.currentTimeMillis();
    }

    // ---- the end ----

    /**
     * Ends the room's live life: refuses newcomers, lets every speaker's last utterance end in a
     * final (up to the drain timeout; a speaker still going then is cut, its audio so far
     * recognised), waits for those finals to be translated and committed, then tells every
     * viewer why it is being closed and closes it.
     *
     * @param code         {@code room_closed} (the room is gone) or {@code server_shutdown}
     * @param closeCode    the WebSocket close code viewers get
     * @param retryAfterMs when viewers may come back; negative: they should not
     */
    public CompletableFuture<Void> drain(String code, String message, short closeCode, long retryAfterMs) {
        goodbye = new Goodbye(code, message, closeCode, retryAfterMs);
        RoomSpeakers.Closing closed = speakers.close();
        CompletableFuture<Void> gone = closed.allGone();
        closed.streams().forEach(s -> s.finish(code, message, closeCode, retryAfterMs));
        long timeout = services.policy().drainTimeout().toMillis();
        return gone.completeOnTimeout(null, timeout, TimeUnit.MILLISECONDS)
                .thenCompose(v -> chain.run(() -> {
                    List<CompletableFuture<Void>> translated = new ArrayList<>();
                    audience.channels.values().forEach(ch -> translated.add(ch.caughtUpIfAwake()));
                    // Waited for off the chain: the translations are published by chain tasks.
                    return CompletableFuture.allOf(translated.toArray(CompletableFuture[]::new))
                            .completeOnTimeout(null, timeout, TimeUnit.MILLISECONDS);
                }).thenCompose(f -> f))
                .thenCompose(v -> chain.run(() -> {
                    audience.takeAll().forEach(viewer -> viewer.closing(code, message, closeCode, retryAfterMs));
                    return null;
                }));
    }
}
