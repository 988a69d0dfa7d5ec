package dev.embeddinggateway.core;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

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

    /** A duration as {@code 30s}, {@code 500ms}, {@code 2m}, a number of seconds, or ISO-8601 ({@code PT30S}). */
    public Duration getDuration(String key, Duration defaultValue, String instance) {
        return get(key).map(v -> parse(key, v, instance, ProviderOptions::duration)).orElse(defaultValue);
    }

    private static Duration duration(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) {
            return Duration.parse(v);
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(s.endsWith("s") ? s.substring(0, s.length() - 1) : s));
    }

    public Optional<Boolean> getBoolean(String key, String instance) {
        return get(key).map(v -> switch (v.toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "gateway.providers." + instance + "." + key + " must be true or false, not '" + v + "'");
        });
    }

    private static <T> T parse(String key, String value, String instance, Function<String, T> parser) {
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
