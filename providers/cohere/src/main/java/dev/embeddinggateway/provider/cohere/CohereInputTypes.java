package dev.embeddinggateway.provider.cohere;

import dev.embeddinggateway.core.InputTypes;

import java.util.Map;
import java.util.Optional;

/**
 * Cohere's {@code input_type}, which its v3 and later models require, on Cohere's own API and on Bedrock alike: the
 * gateway's input types in Cohere's words, a document when a request names none.
 */
public final class CohereInputTypes {
    private static final Map<String, String> NAMES = Map.of("query", "search_query", "document", "search_document",
            "classification", "classification", "clustering", "clustering");
    /** What a Cohere model declares: every type mapped by the provider, document by default. */
    public static final InputTypes TYPES = new InputTypes(Map.of(), NAMES.keySet(), Optional.of(InputTypes.DOCUMENT));

    private CohereInputTypes() {
    }

    /** Cohere's word for {@code inputType}; for none, the document's. */
    public static String name(String inputType) {
        return NAMES.get(inputType == null ? InputTypes.DOCUMENT : inputType);
    }
}
