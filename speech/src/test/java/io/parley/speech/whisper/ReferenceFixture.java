package io.parley.speech.whisper;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CTranslate2 reference values for one dev clip (tools/fixtures/whisper_reference.py):
 * features, a sample of the encoder output, first-step logits, language probabilities and
 * greedy token ids.
 */
final class ReferenceFixture {

    final String clip;
    final float[] blob;
    final Map<String, Object> meta;

    private ReferenceFixture(String clip, float[] blob, Map<String, Object> meta) {
        this.clip = clip;
        this.blob = blob;
        this.meta = meta;
    }

    static ReferenceFixture load(String name) throws IOException {
        Map<String, Object> meta;
        try (InputStream in = ReferenceFixture.class.getResourceAsStream("/fixtures/" + name + ".json");
             JsonParser p = new JsonFactory().createParser(in)) {
            p.nextToken();
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) read(p);
            meta = m;
        }
        float[] blob;
        try (InputStream in = ReferenceFixture.class.getResourceAsStream("/fixtures/" + name + ".f32")) {
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            blob = new float[b.remaining() / 4];
            b.asFloatBuffer().get(blob);
        }
        return new ReferenceFixture((String) meta.get("clip"), blob, meta);
    }

    private static Object read(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, read(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p));
                }
                return l;
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            default -> {
                return null;
            }
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> section(String name) {
        return (Map<String, Object>) meta.get(name);
    }

    float[] slice(String section) {
        Map<String, Object> s = section(section);
        int offset = ((Number) s.get("offset")).intValue();
        int count;
        if (s.containsKey("count")) {
            count = ((Number) s.get("count")).intValue();
        } else {
            List<?> shape = (List<?>) s.get("shape");
            count = ((Number) shape.get(0)).intValue() * ((Number) shape.get(1)).intValue();
        }
        float[] out = new float[count];
        System.arraycopy(blob, offset, out, 0, count);
        return out;
    }

    /**
     * The values of {@code encoderOutput} that the fixture's "encoder" section holds: every
     * {@code stride}-th of the flattened output, as the reference script sampled them.
     */
    float[] encoderSample(float[] encoderOutput) {
        int stride = ((Number) section("encoder").get("stride")).intValue();
        int count = ((Number) section("encoder").get("count")).intValue();
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = encoderOutput[i * stride];
        }
        return out;
    }

    int[] ids(String section, String field) {
        List<?> l = (List<?>) section(section).get(field);
        return l.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }
}
