package dev.embeddinggateway.core;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The options of one provider instance (everything under {@code gateway.providers.<name>.}, prefix removed),
 * checked against what its factory declares: an undeclared option, a value of the wrong type or a missing
 * required option is refused at start, with a message naming the setting.
 */
public final class ProviderOptions {
    private final String instance;
    private final Map<String, Object> values;
    private final Map<String, String> configured;

    private ProviderOptions(String instance, Map<String, Object> values, Map<String, String> configured) {
        this.instance = instance;
        this.values = values;
        this.configured = configured;
    }

    /**
     * @param configured the instance's options as configured; blank values count as not set
     * @throws IllegalArgumentException naming the first option that is unknown (and the closest known one),
     *                                  invalid, or required and missing
     */
    public static ProviderOptions of(String instance, ProviderFactory factory, Map<String, String> configured) {
        Map<String, ProviderOption<?>> declared = factory.options().stream()
                .collect(Collectors.toMap(ProviderOption::name, o -> o));
        Map<String, String> set = new TreeMap<>();
        configured.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                set.put(name, value);
            }
        });
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, String> option : set.entrySet()) {
            ProviderOption<?> known = declared.get(option.getKey());
            if (known == null) {
                throw new IllegalArgumentException(key(instance, option.getKey()) + " is not an option of provider type "
                        + factory.type() + closest(option.getKey(), declared.keySet()) + "; its options: "
                        + String.join(", ", new TreeMap<>(declared).keySet()));
            }
            try {
                values.put(known.name(), known.parse(option.getValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key(instance, known.name()) + ": " + e.getMessage(), e);
            }
        }
        for (ProviderOption<?> option : declared.values()) {
            if (option.isRequired() && !values.containsKey(option.name())) {
                throw new IllegalArgumentException(key(instance, option.name()) + " is required: " + option.description());
            }
            option.defaultValue().ifPresent(d -> values.putIfAbsent(option.name(), option.parse(d)));
        }
        return new ProviderOptions(instance, Map.copyOf(values), Map.copyOf(set));
    }

    /** The option's value: as configured, else its default; empty when neither. */
    public <T> Optional<T> find(ProviderOption<T> option) {
        @SuppressWarnings("unchecked") // of() stored what this option parsed
        T value = (T) values.get(option.name());
        return Optional.ofNullable(value);
    }

    /** The value of an option with a default, or a required one. */
    public <T> T get(ProviderOption<T> option) {
        return find(option).orElseThrow(() -> new IllegalStateException(option + " has no default: use find()"));
    }

    /** Whether the operator set the option (not just its default). */
    public boolean isSet(ProviderOption<?> option) {
        return configured.containsKey(option.name());
    }

    /** The option's full configuration key, for messages. */
    public String key(ProviderOption<?> option) {
        return key(instance, option.name());
    }

    public String instance() {
        return instance;
    }

    private static String key(String instance, String option) {
        return "gateway.providers." + instance + "." + option;
    }

    /** "; did you mean x?" for the known name fewest edits away. */
    private static String closest(String name, java.util.Collection<String> known) {
        return known.stream().min(Comparator.comparingInt((String k) -> editDistance(name, k)).thenComparing(k -> k))
                .map(k -> "; did you mean " + k + "?").orElse("");
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.length()];
    }

    /** Option names only: values may be secrets and must never be printed. */
    @Override
    public String toString() {
        return "ProviderOptions" + configured.keySet();
    }
}
