package dev.embeddinggateway.cache;

import dev.embeddinggateway.core.Embedding;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Where cached embeddings live: in this process, or in Redis for every replica. */
interface EmbeddingCache {

    /**
     * The cached embeddings of {@code keys} (vectors of {@code dimensions} values), by key; absent keys were not
     * cached, or held no valid value. Never fails: a store that is down finds nothing.
     */
    CompletionStage<Map<String, Embedding>> getAll(List<String> keys, int dimensions);

    /** Stores the entries, without making the caller wait; a store that is down keeps nothing. */
    void putAll(Map<String, Embedding> entries);

    /** {@code memory} or {@code redis}, for meters and logs. */
    String backend();
}
