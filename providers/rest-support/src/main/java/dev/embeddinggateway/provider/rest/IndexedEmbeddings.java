package dev.embeddinggateway.provider.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.embeddinggateway.core.ProviderFailedException;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * The answer shape OpenAI made common (Voyage's and Jina's too): {@code data} items with their {@code index}, and
 * {@code usage.total_tokens}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IndexedEmbeddings(List<Item> data, Usage usage) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(int index, float[] embedding) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Usage(@JsonProperty("total_tokens") Integer totalTokens) {
    }

    /** The vectors in input order (items may come in any), and the count when there is one. */
    public CloudEmbeddingProvider.Answer answer(String provider) {
        if (data == null) {
            throw ProviderFailedException.malformed(provider, "the answer has no data");
        }
        List<float[]> vectors = data.stream().sorted(Comparator.comparingInt(Item::index)).map(Item::embedding).toList();
        return new CloudEmbeddingProvider.Answer(vectors, usage == null || usage.totalTokens() == null
                ? OptionalInt.empty() : OptionalInt.of(usage.totalTokens()));
    }
}
