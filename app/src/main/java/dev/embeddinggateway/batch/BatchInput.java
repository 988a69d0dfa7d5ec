package dev.embeddinggateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.embeddinggateway.api.EmbeddingsJson;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.http.BoundedText;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * A batch's input file read and checked line by line, as OpenAI checks it before a batch runs: each line a JSON
 * object with a unique {@code custom_id}, {@code method} POST, the batch's {@code url}, and a {@code body} that
 * {@code /v1/embeddings} takes. Every problem is kept with its line number (up to {@link #MAX_ERRORS}, each message
 * cut at {@link #MAX_MESSAGE} characters, all of them within the errors column); with any, the batch fails and runs
 * nothing.
 */
final class BatchInput {
    static final int MAX_ERRORS = 100;
    static final int MAX_CUSTOM_ID = 512;
    /** A message's length: one may echo what a line sent (a custom_id, an input_type). */
    static final int MAX_MESSAGE = 500;
    /** The errors as JSON fit the batch's errors column (100,000 characters), the list's own frame included. */
    private static final int MAX_ERRORS_JSON = 99_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArrayNode errors = JSON.createArrayNode();
    private final Sink sink;
    private int errorCount;
    private int errorsJsonLength;
    private int requests;

    /** Where the valid lines go as they are read. */
    interface Sink {
        /** @param inputs how many inputs the line's body has */
        void add(RequestLine line, int inputs) throws SQLException;
    }

    private BatchInput(Sink sink) {
        this.sink = sink;
    }

    /** Reads {@code content}, a line in memory at a time, handing the valid lines to {@code sink}. */
    static BatchInput read(InputStream content, String endpoint, Sink sink) throws IOException, SQLException {
        BatchInput input = new BatchInput(sink);
        Set<String> customIds = new HashSet<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8));
        int lineNo = 0;
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
            lineNo++;
            if (!text.isBlank()) {
                input.check(text, lineNo, endpoint, customIds);
            }
        }
        if (input.requests == 0 && input.errorCount == 0) {
            input.error("empty_file", "The input file has no requests.", null, null);
        }
        if (input.requests > BatchStore.MAX_LINES) {
            input.error("too_many_requests", "The input file has " + input.requests + " requests; a batch takes at most "
                    + BatchStore.MAX_LINES + ".", null, null);
        }
        return input;
    }

    private void check(String text, int lineNo, String endpoint, Set<String> customIds) throws SQLException {
        requests++;
        JsonNode line;
        try {
            line = JSON.readTree(text);
        } catch (IOException e) {
            error("invalid_json_line", "This line is not valid JSON.", null, lineNo);
            return;
        }
        if (line == null || !line.isObject()) {
            error("invalid_json_line", "This line is not a JSON object.", null, lineNo);
            return;
        }
        JsonNode customId = line.get("custom_id");
        JsonNode body = line.get("body");
        if (customId == null || !customId.isTextual() || customId.asText().isEmpty()) {
            error("missing_required_parameter", "Each line needs 'custom_id', a non-empty string.", "custom_id", lineNo);
        } else if (!BoundedText.fits(customId.asText(), MAX_CUSTOM_ID)) {
            error("invalid_request", "'custom_id' is longer than " + MAX_CUSTOM_ID + " characters, or holds U+0000.",
                    "custom_id", lineNo);
        } else if (!customIds.add(customId.asText())) {
            error("duplicate_custom_id", "The custom_id '" + customId.asText() + "' is used on more than one line; each "
                    + "request needs its own.", "custom_id", lineNo);
        } else if (!"POST".equals(line.path("method").asText(null))) {
            error("invalid_request", "'method' must be \"POST\".", "method", lineNo);
        } else if (!endpoint.equals(line.path("url").asText(null))) {
            error("invalid_url", "'url' must be \"" + endpoint + "\", the batch's endpoint.", "url", lineNo);
        } else if (body == null || !body.isObject()) {
            error("missing_required_parameter", "Each line needs 'body', the request as a JSON object.", "body", lineNo);
        } else {
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            int inputs;
            try {
                inputs = EmbeddingsJson.parse(bytes).inputs().size();
            } catch (ApiException e) {
                error(e.error().code() == null ? "invalid_request" : e.error().code(), e.error().message(),
                        e.error().param() == null ? "body" : "body." + e.error().param(), lineNo);
                return;
            }
            // Past the limit or after an error the batch fails anyway: nothing more is stored.
            if (valid() && requests <= BatchStore.MAX_LINES) {
                sink.add(new RequestLine(lineNo, customId.asText(), bytes), inputs);
            }
        }
    }

    private void error(String code, String message, String param, Integer line) {
        if (errorCount++ >= MAX_ERRORS) {
            return;
        }
        ObjectNode error = JSON.createObjectNode().put("code", code).put("message", shortened(message))
                .put("param", param);
        if (line == null) {
            error.putNull("line");
        } else {
            error.put("line", line);
        }
        // Control characters take six once written as JSON: the count alone does not bound the size.
        int length = error.toString().length() + 1;
        if (errorsJsonLength + length <= MAX_ERRORS_JSON) {
            errorsJsonLength += length;
            errors.add(error);
        }
    }

    private static String shortened(String message) {
        if (message.length() <= MAX_MESSAGE) {
            return message;
        }
        int cut = Character.isHighSurrogate(message.charAt(MAX_MESSAGE - 1)) ? MAX_MESSAGE - 1 : MAX_MESSAGE;
        return message.substring(0, cut) + "…";
    }

    boolean valid() {
        return errorCount == 0;
    }

    /** OpenAI's {@code errors} of a batch: {@code {"object": "list", "data": [...]}}. */
    String errorsJson() {
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        list.set("data", errors);
        return list.toString();
    }
}
