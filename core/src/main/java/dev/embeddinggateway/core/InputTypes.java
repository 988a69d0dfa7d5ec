package dev.embeddinggateway.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a model does with a request's {@code input_type}: retrieval models embed a query differently from a
 * document. A type is either a prompt (text the gateway puts before each input, before tokenization) or a field
 * the provider sends its upstream in its own terms (TEI {@code prompt_name}, Cohere {@code input_type}, ...).
 * {@code query} and {@code document} are always accepted (as no change where the model has nothing for them);
 * {@code classification} and {@code clustering} only where the model has them.
 *
 * @param prompts          text put before the input, per type
 * @param mappedByProvider types the provider maps to its upstream's own field
 * @param defaultType      the type of a request that names none, if any
 */
public record InputTypes(Map<String, String> prompts, Set<String> mappedByProvider, Optional<String> defaultType) {
    public static final String QUERY = "query";
    public static final String DOCUMENT = "document";
    /** Every type a client may name, in the order the API documents them. */
    public static final List<String> KNOWN = List.of(QUERY, DOCUMENT, "classification", "clustering");
    public static final InputTypes NONE = new InputTypes(Map.of(), Set.of(), Optional.empty());

    public InputTypes {
        prompts = Map.copyOf(prompts);
        mappedByProvider = Set.copyOf(mappedByProvider);
        for (String type : prompts.keySet()) {
            requireKnown(type);
        }
        mappedByProvider.forEach(InputTypes::requireKnown);
        defaultType.ifPresent(InputTypes::requireKnown);
    }

    /** The types a request may name, in {@link #KNOWN}'s order. */
    public List<String> accepted() {
        return KNOWN.stream().filter(t -> t.equals(QUERY) || t.equals(DOCUMENT) || prompts.containsKey(t)
                || mappedByProvider.contains(t)).toList();
    }

    /**
     * The type a request of model {@code model} is served under: the one it names, else the default; empty for none.
     *
     * @throws BadInputException naming {@code input_type} when the model has no such type
     */
    public Optional<String> effective(String requested, String model) {
        Optional<String> type = Optional.ofNullable(requested).or(() -> defaultType);
        if (type.isPresent() && !accepted().contains(type.get())) {
            throw new BadInputException("'input_type' must be one of " + String.join(", ", accepted()) + " for model "
                    + model + "; '" + type.get() + "' was sent.", "input_type", null);
        }
        return type;
    }

    /** {@code overrides}' prompts and default in place of these; the provider's own mappings kept. */
    public InputTypes overriddenBy(Map<String, String> overridePrompts, Optional<String> overrideDefault) {
        Map<String, String> merged = new LinkedHashMap<>(prompts);
        merged.putAll(overridePrompts);
        return new InputTypes(merged, mappedByProvider, overrideDefault.or(() -> defaultType));
    }

    /**
     * The known type a sentence-transformers prompt name stands for ({@code passage}, {@code search_document} →
     * document; {@code search_query} → query), or empty for names of no known type.
     */
    public static Optional<String> fromPromptName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("search_")) {
            n = n.substring("search_".length());
        }
        if (n.equals("passage") || n.equals("corpus") || n.equals("doc")) {
            n = DOCUMENT;
        }
        return KNOWN.contains(n) ? Optional.of(n) : Optional.empty();
    }

    /** Parses {@code "query=a,document=b"}: input type to a name of the provider's own. */
    public static Map<String, String> parseMapping(String spec) {
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 1 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("'" + pair.trim() + "' is not input_type=name (as in query=query,document=passage)");
            }
            mapping.put(requireKnown(pair.substring(0, eq).trim()), pair.substring(eq + 1).trim());
        }
        return mapping;
    }

    private static String requireKnown(String type) {
        if (!KNOWN.contains(type)) {
            throw new IllegalArgumentException("'" + type + "' is not an input type; input types: " + String.join(", ", KNOWN));
        }
        return type;
    }
}
