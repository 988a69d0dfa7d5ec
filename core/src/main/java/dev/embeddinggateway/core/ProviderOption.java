package dev.embeddinggateway.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One option a provider type takes ({@code gateway.providers.<name>.<option>}), declared by its
 * {@link ProviderFactory}: name, type, default and one line of documentation. Values are checked at start, and
 * an option no factory declares is refused there.
 *
 * @param <T> the value's type
 */
public final class ProviderOption<T> {
    private final String name;
    private final String type;
    private final Function<String, T> parser;
    private final String defaultValue;
    private final boolean required;
    private final String description;

    private ProviderOption(String name, String type, Function<String, T> parser, String defaultValue, boolean required,
                           String description) {
        this.name = name;
        this.type = type;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.required = required;
        this.description = description;
        if (defaultValue != null) {
            parser.apply(defaultValue); // a broken default fails where it is declared
        }
    }

    /** @param defaultValue as it would be configured; null for none */
    public static ProviderOption<String> text(String name, String defaultValue, String description) {
        return new ProviderOption<>(name, "text", v -> v, defaultValue, false, description);
    }

    public static ProviderOption<Integer> integer(String name, String defaultValue, String description) {
        return new ProviderOption<>(name, "an integer", Integer::valueOf, defaultValue, false, description);
    }

    public static ProviderOption<Boolean> bool(String name, String defaultValue, String description) {
        return new ProviderOption<>(name, "true or false", ProviderOption::parseBoolean, defaultValue, false, description);
    }

    /** A duration as {@code 30s}, {@code 500ms}, {@code 2m}, a number of seconds, or ISO-8601 ({@code PT30S}). */
    public static ProviderOption<Duration> duration(String name, String defaultValue, String description) {
        return new ProviderOption<>(name, "a duration (30s, 500ms, 2m, PT1M)", ProviderOption::parseDuration, defaultValue, false, description);
    }

    /** One of an enum's constants, written in lower case ({@code MEAN} as {@code mean}). */
    public static <E extends Enum<E>> ProviderOption<E> choice(String name, Class<E> type, String defaultValue,
                                                                String description) {
        String choices = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(" or "));
        return new ProviderOption<>(name, choices, v -> Enum.valueOf(type, v.toUpperCase(Locale.ROOT)), defaultValue,
                false, description);
    }

    /** The same option, which must be set. */
    public ProviderOption<T> required() {
        return new ProviderOption<>(name, type, parser, null, true, description);
    }

    public String name() {
        return name;
    }

    /** What values it takes, for messages: {@code an integer}, {@code mean or cls}, … */
    public String type() {
        return type;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public boolean isRequired() {
        return required;
    }

    public String description() {
        return description;
    }

    /** @throws IllegalArgumentException when the value is not of this option's type */
    T parse(String value) {
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + value + "' is not " + type, e);
        }
    }

    private static Boolean parseBoolean(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(v);
        };
    }

    private static Duration parseDuration(String v) {
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

    @Override
    public String toString() {
        return name;
    }
}
