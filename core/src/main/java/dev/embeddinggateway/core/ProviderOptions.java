package dev.embeddinggateway.core;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The options of one provider instance: everything under {@code gateway.providers.<name>.}, prefix removed. */
public record ProviderOptions(Map<String, String> values) {

    public ProviderOptions {
        values = Map.copyOf(values);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String require(String key, String instance) {
        return get(key).orElseThrow(() -> new IllegalArgumentException(
                "gateway.providers." + instance + "." + key + " is required"));
    }

    public int getInt(String key, int defaultValue, String instance) {
        return get(key).map(v -> parse(key, v, instance, Integer::valueOf)).orElse(defaultValue);
    }

    public Optional<Boolean> getBoolean(String key, String instance) {
        return get(key).map(v -> switch (v.toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "gateway.providers." + instance + "." + key + " must be true or false, not '" + v + "'");
        });
    }

    private static <T> T parse(String key, String value, String instance, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "gateway.providers." + instance + "." + key + " has an invalid value '" + value + "'", e);
        }
    }

    /** Option names only: values may be secrets and must never be printed. */
    @Override
    public String toString() {
        return "ProviderOptions" + new TreeMap<>(values).keySet();
    }
}
