package dev.embeddinggateway.core;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
                .collect(Collectors.toMap(o -> canonical(o.name()), o -> o));
        Map<String, String> set = new TreeMap<>();
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, String> option : new TreeMap<>(configured).entrySet()) {
            if (option.getValue() == null || option.getValue().isBlank()) {
                continue;
            }
            ProviderOption<?> known = declared.get(canonical(option.getKey()));
            if (known == null) {
                throw new IllegalArgumentException(key(instance, option.getKey()) + " is not an option of provider type "
                        + factory.type() + closest(option.getKey(), factory.options()) + "; its options: "
                        + factory.options().stream().map(ProviderOption::name).sorted().collect(Collectors.joining(", ")));
            }
            String earlier = set.put(known.name(), option.getValue());
            if (earlier != null && !earlier.equals(option.getValue())) {
                throw new IllegalArgumentException(key(instance, known.name()) + " is set twice, in two spellings ("
                        + option.getKey() + " is how an environment variable reaches it), with different values; set one");
            }
            try {
                values.put(known.name(), known.parse(option.getValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key(instance, known.name()) + ": " + e.getMessage(), e);
            }
        }
        for (ProviderOption<?> option : factory.options()) {
            if (option.isRequired() && !values.containsKey(option.name())) {
                throw new IllegalArgumentException(key(instance, option.name()) + " is required: " + option.description());
            }
            option.defaultValue().ifPresent(d -> values.putIfAbsent(option.name(), option.parse(d)));
        }
        return new ProviderOptions(instance, Map.copyOf(values), Map.copyOf(set));
    }

    /**
     * An option's name whatever its spelling: an environment variable ({@code GATEWAY_PROVIDERS_LOCAL_MAX_BATCH_TOKENS})
     * reaches the gateway as {@code max.batch.tokens}, which means {@code max-batch-tokens}.
     */
    public static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT).replace('.', '-').replace('_', '-');
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

    /** "; did you mean x?" for the option fewest edits away. */
    private static String closest(String name, List<ProviderOption<?>> known) {
        return known.stream().map(ProviderOption::name)
                .min(Comparator.comparingInt((String k) -> editDistance(canonical(name), k)).thenComparing(k -> k))
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
