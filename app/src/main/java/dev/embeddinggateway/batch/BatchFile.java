package dev.embeddinggateway.batch;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * OpenAI's File object, as {@code /v1/files} answers it.
 *
 * @param createdAt seconds since the epoch
 */
@JsonPropertyOrder({"id", "object", "bytes", "created_at", "filename", "purpose", "status"})
public record BatchFile(String id, long bytes, @JsonProperty("created_at") long createdAt, String filename,
                        String purpose) {

    @JsonProperty
    String object() {
        return "file";
    }

    /** Deprecated in OpenAI's API, still sent: an uploaded file is ready at once. */
    @JsonProperty
    String status() {
        return "processed";
    }
}
