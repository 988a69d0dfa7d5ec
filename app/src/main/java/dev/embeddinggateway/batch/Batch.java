package dev.embeddinggateway.batch;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * OpenAI's Batch object, as {@code /v1/batches} answers it. Times are seconds since the epoch, null until they
 * happen.
 *
 * @param errors   the validation errors ({@code {"object": "list", "data": [...]}}) as JSON; null when none
 * @param metadata the client's metadata as JSON; null when none
 */
@JsonPropertyOrder({"id", "object", "endpoint", "errors", "input_file_id", "completion_window", "status",
        "output_file_id", "error_file_id", "created_at", "in_progress_at", "expires_at", "finalizing_at",
        "completed_at", "failed_at", "expired_at", "cancelling_at", "cancelled_at", "request_counts", "metadata"})
public record Batch(String id, String endpoint, @JsonRawValue String errors,
                    @JsonProperty("input_file_id") String inputFileId,
                    @JsonProperty("completion_window") String completionWindow, String status,
                    @JsonProperty("output_file_id") String outputFileId,
                    @JsonProperty("error_file_id") String errorFileId,
                    @JsonProperty("created_at") long createdAt,
                    @JsonProperty("in_progress_at") Long inProgressAt,
                    @JsonProperty("expires_at") long expiresAt,
                    @JsonProperty("finalizing_at") Long finalizingAt,
                    @JsonProperty("completed_at") Long completedAt,
                    @JsonProperty("failed_at") Long failedAt,
                    @JsonProperty("expired_at") Long expiredAt,
                    @JsonProperty("cancelling_at") Long cancellingAt,
                    @JsonProperty("cancelled_at") Long cancelledAt,
                    @JsonProperty("request_counts") RequestCounts requestCounts,
                    @JsonRawValue String metadata) {

    public static final String VALIDATING = "validating";
    public static final String FAILED = "failed";
    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";
    public static final String EXPIRED = "expired";
    public static final String CANCELLING = "cancelling";
    public static final String CANCELLED = "cancelled";

    /** Now, as batches keep times: seconds since the epoch. */
    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @JsonProperty
    String object() {
        return "batch";
    }

    /** Whether nothing will change any more. */
    boolean finished() {
        return status.equals(COMPLETED) || status.equals(FAILED) || status.equals(EXPIRED) || status.equals(CANCELLED);
    }

    public record RequestCounts(int total, int completed, int failed) {
    }
}
