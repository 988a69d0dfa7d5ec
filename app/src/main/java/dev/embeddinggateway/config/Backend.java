package dev.embeddinggateway.config;

/** Where a count or a cache is kept. */
public enum Backend {
    /** In this process: each replica alone. */
    MEMORY,
    /** In Redis ({@code quarkus.redis.hosts}): one for every replica. */
    REDIS
}
