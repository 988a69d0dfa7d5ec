package dev.embeddinggateway.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.function.Function;

/** A page of OpenAI's list objects ({@code /v1/files}, {@code /v1/batches}). */
@JsonPropertyOrder({"object", "data", "first_id", "last_id", "has_more"})
public record ListPage<T>(List<T> data, @JsonProperty("first_id") String firstId, @JsonProperty("last_id") String lastId,
                          @JsonProperty("has_more") boolean hasMore) {

    /**
     * The page of {@code limit} items from {@code fetched}, which holds one more than that when there is a next
     * page: asking for one more is how a page knows.
     */
    public static <T> ListPage<T> of(List<T> fetched, int limit, Function<T, String> id) {
        boolean more = fetched.size() > limit;
        List<T> data = more ? fetched.subList(0, limit) : fetched;
        return new ListPage<>(data, data.isEmpty() ? null : id.apply(data.get(0)),
                data.isEmpty() ? null : id.apply(data.get(data.size() - 1)), more);
    }

    /**
     * The {@code limit} query parameter as sent ({@code fallback} when absent). It is taken as text: JAX-RS answers
     * a number it cannot read with 404.
     *
     * @throws ApiException 400 naming {@code limit} when it is not a whole number between 1 and {@code max}
     */
    public static int limit(String sent, int fallback, int max) {
        if (sent == null) {
            return fallback;
        }
        try {
            int limit = Integer.parseInt(sent.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid("'limit' must be a whole number between 1 and " + max + ".", "limit");
    }

    @JsonProperty
    public String object() {
        return "list";
    }
}
