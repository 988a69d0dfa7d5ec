package dev.embeddinggateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.core.Embedding;
import dev.embeddinggateway.core.Input;
import dev.embeddinggateway.core.InputTypes;
import dev.embeddinggateway.core.support.Vectors;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.pipeline.ClientRequest;
import dev.embeddinggateway.pipeline.ServedRequest;
import dev.embeddinggateway.pipeline.VectorEncoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The JSON of {@code POST /v1/embeddings}: the body read the way OpenAI's API reads it, with a 400 naming the
 * field at fault for anything else, and the answer written the way OpenAI writes it.
 */
public final class EmbeddingsJson {
    public static final int MAX_INPUTS = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddingsJson() {
    }

    public static ClientRequest parse(byte[] body) {
        JsonNode root = object(body);
        return new ClientRequest(optionalString(root, "model"), inputs(root.get("input")), encoding(root.get("encoding_format")),
                dimensions(root.get("dimensions")), optionalString(root, "user"), inputType(root.get("input_type")));
    }

    /** The body as a JSON object, or a 400 saying what it is instead. */
    static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("The request body is not valid JSON (" + e.getOriginalMessage()
                    + "). Send a JSON object such as {\"input\": \"text\", \"model\": \"all-minilm-l6-v2\"}.", null);
        } catch (java.io.IOException e) {
            throw ApiException.invalid("The request body could not be read.", null);
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalid("The request body must be a JSON object with at least 'input'.", null);
        }
        return root;
    }

    /**
     * OpenAI's answer: the vectors in input order, the model that served, and every input's tokens.
     *
     * @param scale the model's int8 scale, for the int8 and uint8 encodings; else null
     */
    public static Object body(ClientRequest request, ServedRequest answer, Int8Calibrations.Scale scale) {
        List<Embedding> embeddings = answer.provided().result().embeddings();
        List<Data> data = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            data.add(new Data(i, encoded(embeddings.get(i).vector(), request.encoding(), scale)));
        }
        int tokens = answer.provided().result().promptTokens();
        return new Body(data, answer.route().name(), new Usage(tokens, tokens));
    }

    /** After the cache: one cached float vector serves every encoding. */
    private static Object encoded(float[] v, VectorEncoding encoding, Int8Calibrations.Scale scale) {
        return switch (encoding) {
            case FLOAT -> v;
            case BASE64 -> Vectors.toBase64(v);
            case INT8, UINT8 -> CompactEncodings.scalar(v, scale.maxAbs(), encoding == VectorEncoding.INT8);
            case BINARY, UBINARY -> CompactEncodings.binary(v, encoding == VectorEncoding.BINARY);
        };
    }

    static List<Input> inputs(JsonNode input) {
        if (input == null || input.isNull()) {
            throw ApiException.invalid("'input' is required: a string, an array of strings, an array of token ids, "
                    + "or an array of arrays of token ids.", "input");
        }
        if (input.isTextual()) {
            return List.of(text(input, 0));
        }
        if (!input.isArray()) {
            throw ApiException.invalid("'input' must be a string or an array, not " + kind(input) + ".", "input");
        }
        if (input.isEmpty()) {
            throw ApiException.invalid("'input' must not be an empty array.", "input");
        }
        JsonNode first = input.get(0);
        if (first.isIntegralNumber()) {
            return List.of(new Input.TokenIds(tokenIds(input, "'input'")));
        }
        if (input.size() > MAX_INPUTS) {
            throw ApiException.invalid("'input' has " + input.size() + " items; at most " + MAX_INPUTS
                    + " are allowed per request.", "input");
        }
        List<Input> inputs = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            if (first.isTextual() && item.isTextual()) {
                inputs.add(text(item, i));
            } else if (first.isArray() && item.isArray()) {
                inputs.add(new Input.TokenIds(tokenIds(item, "'input[" + i + "]'")));
            } else {
                throw ApiException.invalid("'input[" + i + "]' is " + kind(item) + "; an input array must hold only "
                        + "strings, only token ids, or only arrays of token ids.", "input");
            }
        }
        return inputs;
    }

    private static Input text(JsonNode node, int index) {
        String text = node.textValue();
        if (text.isEmpty()) {
            throw ApiException.invalid("'input[" + index + "]' is an empty string; every input must have text.", "input");
        }
        if (hasUnpairedSurrogate(text)) {
            throw ApiException.invalid("'input[" + index + "]' holds an unpaired UTF-16 surrogate, which is not text.", "input");
        }
        return new Input.Text(text);
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static int[] tokenIds(JsonNode array, String what) {
        if (array.isEmpty()) {
            throw ApiException.invalid(what + " is an empty array of token ids.", "input");
        }
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                String found = id.isIntegralNumber() && id.bigIntegerValue().signum() < 0 ? id.asText() + ", a negative number"
                        : id.isIntegralNumber() ? id.asText() + ", larger than any token id" : kind(id);
                throw ApiException.invalid(what + " must hold only token ids (non-negative integers); item " + i
                        + " is " + found + ".", "input");
            }
            ids[i] = id.intValue();
        }
        return ids;
    }

    private static VectorEncoding encoding(JsonNode format) {
        if (format == null || format.isNull()) {
            return VectorEncoding.FLOAT;
        }
        return Optional.ofNullable(format.textValue()).flatMap(VectorEncoding::parse).orElseThrow(() ->
                ApiException.invalid("'encoding_format' must be one of " + Arrays.stream(VectorEncoding.values())
                        .map(e -> "\"" + e.wireName() + "\"").collect(Collectors.joining(", ")) + ".", "encoding_format"));
    }

    /** Checked against the model's own types once its route is known; here only that it is one of the known. */
    static String inputType(JsonNode type) {
        if (type == null || type.isNull()) {
            return null;
        }
        if (!type.isTextual() || !InputTypes.KNOWN.contains(type.textValue())) {
            throw ApiException.invalid("'input_type' must be one of " + String.join(", ", InputTypes.KNOWN)
                    + (type.isTextual() ? "; '" + type.textValue() + "' was sent." : ", not " + kind(type) + "."),
                    "input_type");
        }
        return type.textValue();
    }

    private static Integer dimensions(JsonNode dimensions) {
        if (dimensions == null || dimensions.isNull()) {
            return null;
        }
        if (!dimensions.isIntegralNumber() || !dimensions.canConvertToInt() || dimensions.intValue() < 1) {
            throw ApiException.invalid("'dimensions' must be an integer of at least 1.", "dimensions");
        }
        return dimensions.intValue();
    }

    static String optionalString(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("'" + field + "' must be a string, not " + kind(value) + ".", field);
        }
        return value.textValue();
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "null";
        };
    }

    @JsonPropertyOrder({"object", "data", "model", "usage"})
    record Body(List<Data> data, String model, Usage usage) {
        @JsonProperty
        String object() {
            return "list";
        }
    }

    /** @param embedding a {@code float[]}, its base64 string, or an {@code int[]} of a compact encoding */
    @JsonPropertyOrder({"object", "index", "embedding"})
    record Data(int index, Object embedding) {
        @JsonProperty
        String object() {
            return "embedding";
        }
    }

    record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {
    }
}
