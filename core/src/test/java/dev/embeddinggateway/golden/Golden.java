package dev.embeddinggateway.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference vectors in this module's test resources ({@code golden/}, computed outside this project: see
 * the README there). Shared by the tests of every module through core's test jar.
 *
 * @param minCosine the bar the golden README sets for this model
 */
public record Golden(String file, double minCosine, List<Item> items) {

    public static final String MINILM = "all-minilm-l6-v2.json";
    public static final String BGE_ZH = "bge-small-zh-v1.5-q.json";

    public record Item(String text, int tokens, float[] embedding) {
    }

    public static Golden load(String file) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + file)) {
            if (in == null) {
                throw new IllegalStateException("golden/" + file + " is not on the test classpath (core's test jar)");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<Item> items = new ArrayList<>();
            for (JsonNode item : root.get("items")) {
                JsonNode e = item.get("embedding");
                float[] v = new float[e.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) e.get(i).asDouble();
                }
                items.add(new Item(item.get("text").asText(), item.get("tokens").asInt(), v));
            }
            return new Golden(file, file.equals(MINILM) ? 0.99999 : 0.995, List.copyOf(items));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> texts() {
        return items.stream().map(Item::text).toList();
    }

    public int totalTokens() {
        return items.stream().mapToInt(Item::tokens).sum();
    }

    /** How alike two vectors are, from -1 to 1: what every golden comparison asserts on. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
