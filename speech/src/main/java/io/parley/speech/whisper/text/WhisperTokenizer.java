package io.parley.speech.whisper.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whisper's tokenizer, read from the model's {@code tokenizer.json}: byte-level BPE for text,
 * and the special tokens that steer the model (start of transcript, language, task, no
 * timestamps, the timestamps themselves in steps of 20 ms).
 *
 * <p>Special token ids differ between the multilingual models and the English-only ones (which
 * lack one token and so sit one lower); they are read from the file, never assumed.
 */
public final class WhisperTokenizer {

    /** Seconds per timestamp token. */
    public static final double TIMESTAMP_STEP = 0.02;
    /** Timestamp tokens: 0.00 s to 30.00 s. */
    public static final int TIMESTAMP_COUNT = 1501;

    private final ByteLevelBpe bpe;
    private final String[] tokens;
    private final Map<String, Integer> special;
    private final Map<String, Integer> languages;
    public final int eot;
    public final int sot;
    public final int translate;
    public final int transcribe;
    public final int startOfPrevious;
    public final int noSpeech;
    public final int noTimestamps;
    public final int timestampBegin;

    private WhisperTokenizer(Map<String, Integer> vocab, Map<String, Integer> special) {
        this.bpe = new ByteLevelBpe(vocab, special.keySet());
        this.special = special;
        this.eot = require(special, "<|endoftext|>");
        this.sot = require(special, "<|startoftranscript|>");
        this.translate = require(special, "<|translate|>");
        this.transcribe = require(special, "<|transcribe|>");
        this.startOfPrevious = require(special, "<|startofprev|>");
        this.noSpeech = special.containsKey("<|nospeech|>") ? special.get("<|nospeech|>") : require(special, "<|nocaptions|>");
        this.noTimestamps = require(special, "<|notimestamps|>");
        this.timestampBegin = noTimestamps + 1;
        Map<String, Integer> langs = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : special.entrySet()) {
            String t = e.getKey();
            // Language tokens are <|xx|> or <|xxx|> (or <|haw|>): lowercase letters only.
            if (t.matches("<\\|[a-z]{2,3}\\|>") && e.getValue() > sot && e.getValue() < translate) {
                langs.put(t.substring(2, t.length() - 2), e.getValue());
            }
        }
        this.languages = Collections.unmodifiableMap(langs);
        this.tokens = new String[timestampBegin + TIMESTAMP_COUNT];
        vocab.forEach((token, id) -> {
            if (id < tokens.length) {
                tokens[id] = token;
            }
        });
        special.forEach((token, id) -> tokens[id] = token);
        for (int i = 0; i < TIMESTAMP_COUNT; i++) {
            tokens[timestampBegin + i] = String.format(Locale.ROOT, "<|%.2f|>", i * TIMESTAMP_STEP);
        }
    }

    private static int require(Map<String, Integer> special, String token) {
        Integer id = special.get(token);
        if (id == null) {
            throw new IllegalArgumentException("tokenizer.json has no " + token + ": not a Whisper tokenizer");
        }
        return id;
    }

    public static WhisperTokenizer load(Path tokenizerJson) throws IOException {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return parse(in);
        }
    }

    static WhisperTokenizer parse(InputStream in) throws IOException {
        Map<String, Integer> vocab = new HashMap<>(60_000);
        Map<String, Integer> special = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "added_tokens" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            String content = null;
                            int id = -1;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                if (f.equals("content")) {
                                    content = p.getText();
                                } else if (f.equals("id")) {
                                    id = p.getIntValue();
                                } else {
                                    p.skipChildren();
                                }
                            }
                            if (content != null && id >= 0) {
                                special.put(content, id);
                            }
                        }
                    }
                    case "model" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            if (f.equals("vocab")) {
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String token = p.currentName();
                                    p.nextToken();
                                    vocab.put(token, p.getIntValue());
                                }
                            } else if (f.equals("type") && !p.getText().equals("BPE")) {
                                throw new IllegalArgumentException("tokenizer.json holds a " + p.getText()
                                        + " model, not BPE: not a Whisper tokenizer");
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (vocab.isEmpty()) {
            throw new IllegalArgumentException("tokenizer.json has no BPE vocabulary");
        }
        // The merge list is not read: merges are ranked by the ids of the tokens they make (see ByteLevelBpe).
        return new WhisperTokenizer(vocab, special);
    }

    private static void expect(JsonToken got, JsonToken wanted) {
        if (got != wanted) {
            throw new IllegalArgumentException("tokenizer.json is not a JSON object");
        }
    }

    /** Text to token ids, with no special tokens. */
    public int[] encode(String text) {
        return bpe.encode(text);
    }

    /** Token ids to text; special and timestamp tokens are left out. */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < eot && id >= 0 && tokens[id] != null) {
                bytes.writeBytes(ByteLevelBpe.tokenBytes(tokens[id]));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The raw bytes of one text token (a character may need several tokens). */
    public byte[] tokenBytes(int id) {
        return id < eot && tokens[id] != null ? ByteLevelBpe.tokenBytes(tokens[id]) : new byte[0];
    }

    public String tokenText(int id) {
        return id >= 0 && id < tokens.length && tokens[id] != null ? tokens[id] : "<" + id + ">";
    }

    public boolean isTimestamp(int id) {
        return id >= timestampBegin;
    }

    public double timestampSeconds(int id) {
        return (id - timestampBegin) * TIMESTAMP_STEP;
    }

    /** Language codes in the order of their tokens (the order language identification uses). */
    public Map<String, Integer> languages() {
        return languages;
    }

    public int language(String code) {
        Integer id = languages.get(code);
        if (id == null) {
            throw new IllegalArgumentException("Whisper knows no language '" + code + "'");
        }
        return id;
    }

    public int size() {
        return tokens.length;
    }

    public Map<String, Integer> specialTokens() {
        return special;
    }
}
