package io.parley.speech.whisper.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The model's {@code config.json} (as CTranslate2's converter writes it): the tokens to
 * suppress always and at the first step, and the cross-attention heads that follow the audio
 * closely enough to time words.
 *
 * @param suppressIds      never generated (symbols Whisper misuses, special tokens)
 * @param suppressAtBegin  not the first token of a window (a blank, the end of text)
 * @param alignmentHeads   pairs {layer, head}
 */
public record WhisperConfig(int[] suppressIds, int[] suppressAtBegin, int[][] alignmentHeads) {

    public static WhisperConfig load(Path configJson) throws IOException {
        List<Integer> suppress = new ArrayList<>();
        List<Integer> begin = new ArrayList<>();
        List<int[]> heads = new ArrayList<>();
        try (InputStream in = Files.newInputStream(configJson); JsonParser p = new JsonFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(configJson + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "suppress_ids" -> readInts(p, suppress);
                    case "suppress_ids_begin" -> readInts(p, begin);
                    case "alignment_heads" -> {
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            p.nextToken();
                            int layer = p.getIntValue();
                            p.nextToken();
                            int head = p.getIntValue();
                            p.nextToken();
                            heads.add(new int[]{layer, head});
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        return new WhisperConfig(suppress.stream().mapToInt(Integer::intValue).toArray(),
                begin.stream().mapToInt(Integer::intValue).toArray(), heads.toArray(int[][]::new));
    }

    private static void readInts(JsonParser p, List<Integer> out) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(p.getIntValue());
        }
    }
}
