package dev.embeddinggateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.http.ApiException;

import java.util.List;

/** The body of {@code POST /v1/tokenize}: {@code input} and {@code input_type} read as the embeddings call reads them. */
final class TokenizeJson {
    private TokenizeJson() {
    }

    /** @param model null for the default model; @param inputType null for the model's default */
    record Request(String model, List<Input> inputs, String inputType, boolean returnIds, boolean returnOffsets) {
    }

    static Request parse(byte[] body) {
        JsonNode root = EmbeddingsJson.object(body);
        return new Request(EmbeddingsJson.optionalString(root, "model"), EmbeddingsJson.inputs(root.get("input")),
                EmbeddingsJson.inputType(root.get("input_type")), flag(root, "return_ids"), flag(root, "return_offsets"));
    }

    private static boolean flag(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid("'" + field + "' must be true or false, not " + EmbeddingsJson.kind(value) + ".", field);
        }
        return value.booleanValue();
    }
}
