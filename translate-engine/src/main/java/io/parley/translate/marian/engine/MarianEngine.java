package io.parley.translate.marian.engine;

import io.parley.kernels.accel.Accelerator;
import io.parley.translate.marian.decode.BatchSearch;
import io.parley.translate.marian.decode.Shortlist;
import io.parley.translate.marian.model.MarianNetwork;
import io.parley.translate.marian.text.SentencePieceModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One translation direction: text → SentencePiece ids → encoder → search → ids → text, for a
 * batch of sentences at once. Not thread-safe: {@link MarianTranslator} gives each engine one
 * worker.
 */
public final class MarianEngine implements AutoCloseable {

    /** Sentences longer than this many tokens are cut: the model was trained on sentences. */
    static final int MAX_SOURCE_TOKENS = 256;

    private final MarianModelDir dir;
    private final MarianNetwork network;
    private final SentencePieceModel vocabulary;
    private final BatchSearch search;
    private final int beamSize;

    private MarianEngine(MarianModelDir dir, MarianNetwork network, SentencePieceModel vocabulary, BatchSearch search,
                         int beamSize) {
        this.dir = dir;
        this.network = network;
        this.vocabulary = vocabulary;
        this.search = search;
        this.beamSize = beamSize;
    }

    /**
     * Loads a model folder onto an accelerator.
     *
     * @param beamSize the beam to use; 0 takes the model's own setting
     */
    public static MarianEngine load(MarianModelDir dir, Accelerator acc, int beamSize) throws IOException {
        MarianNetwork network = MarianNetwork.load(acc, dir.model());
        SentencePieceModel vocab = SentencePieceModel.load(dir.vocabulary());
        if (vocab.size() != network.config().vocabSize()) {
            network.close();
            throw new io.parley.translate.marian.model.MarianModelException(dir.vocabulary().getFileName() + " has "
                    + vocab.size() + " pieces but the model's embeddings have " + network.config().vocabSize() + " rows");
        }
        Shortlist shortlist = dir.shortlist().isPresent()
                ? Shortlist.load(dir.shortlist().get(), network.config().vocabSize()) : null;
        BatchSearch search = new BatchSearch(network, shortlist, vocab.eosId(), dir.maxLengthFactor());
        return new MarianEngine(dir, network, vocab, search, beamSize > 0 ? beamSize : dir.beamSize());
    }

    public MarianModelDir dir() {
        return dir;
    }

    public int beamSize() {
        return beamSize;
    }

    /** Translates sentences (one each; blank ones come back blank). */
    public List<String> translate(List<String> sentences) {
        return translate(sentences, beamSize);
    }

    public List<String> translate(List<String> sentences, int beam) {
        List<int[]> sources = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            String s = sentences.get(i).strip();
            if (s.isEmpty()) {
                continue;
            }
            int[] ids = vocabulary.encode(s);
            if (ids.length > MAX_SOURCE_TOKENS - 1) {
                ids = Arrays.copyOf(ids, MAX_SOURCE_TOKENS - 1);
            }
            int[] withEos = Arrays.copyOf(ids, ids.length + 1);
            withEos[ids.length] = vocabulary.eosId();
            sources.add(withEos);
            where.add(i);
        }
        List<String> out = new ArrayList<>(java.util.Collections.nCopies(sentences.size(), ""));
        if (sources.isEmpty()) {
            return out;
        }
        List<int[]> targets = search.translate(sources, beam);
        for (int k = 0; k < targets.size(); k++) {
            int[] ids = Arrays.stream(targets.get(k)).filter(id -> id != vocabulary.unkId()).toArray();
            out.set(where.get(k), vocabulary.decode(ids));
        }
        return out;
    }

    @Override
    public void close() {
        network.close();
    }
}
