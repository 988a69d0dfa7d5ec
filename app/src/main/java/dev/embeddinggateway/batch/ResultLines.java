package dev.embeddinggateway.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.api.EmbeddingsResponse;
import dev.embeddinggateway.http.ApiException;
import dev.embeddinggateway.store.SqlRows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The lines of a batch's output and error files, as OpenAI writes them. */
final class ResultLines {
    private final ObjectMapper json;

    ResultLines(ObjectMapper json) {
        this.json = json;
    }

    /** A line answered 200: a line of the output file, billed what it used. */
    LineResult answered(RequestLine line, EmbeddingsResponse answer) {
        return new LineResult(line.lineNo(), line(line.customId(), response(200, answer.body()), null), true,
                answer.served().usage());
    }

    /** A line refused or failed as {@code answer} says: a line of the error file. */
    LineResult failed(RequestLine line, ApiException answer) {
        return new LineResult(line.lineNo(), line(line.customId(), response(answer.status(), answer.error().body()),
                null), false, Optional.empty());
    }

    /** What each line never run is told, with OpenAI's error {@code code}. */
    BatchOutputFiles.Unrun unrun(String code, String message) {
        return customId -> line(customId, null, Map.of("code", code, "message", message));
    }

    private static Map<String, Object> response(int status, Object body) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status_code", status);
        response.put("request_id", SqlRows.newId("req_"));
        response.put("body", body);
        return response;
    }

    private byte[] line(String customId, Map<String, Object> response, Map<String, String> error) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", SqlRows.newId("batch_req_"));
        line.put("custom_id", customId);
        line.put("response", response);
        line.put("error", error);
        try {
            return json.writeValueAsBytes(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a batch result line could not be written", e);
        }
    }
}
