package dev.embeddinggateway.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference vectors in {@code ../shared/golden}, computed outside this project (see its README).
 * Shared by the tests of every module through core's test jar.
 *
 * @param minCosine the bar the golden README sets for this model
 */
public record Golden(String file, double minCosine, List<Item> items) {

    public static final String MINILM = "all-minilm-l6-v2.json";
    public static final String BGE_ZH = "bge-small-zh-v1.5-q.json";

    public record Item(String text, int tokens, float[] embedding) {
    }

    public static Golden load(String file) {
        try {
            JsonNode root = new ObjectMapper().readTree(directory().resolve(file).toFile());
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

    /** {@code -Dgolden.dir}, else the {@code shared/golden} beside the checkout. */
    static Path directory() {
        String configured = System.getProperty("golden.dir");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/golden");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("golden vectors not found: set -Dgolden.dir or keep ../shared beside the checkout");
    }
}
