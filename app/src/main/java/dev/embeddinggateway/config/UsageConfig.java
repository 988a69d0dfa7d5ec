package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code gateway.usage.*}: how usage reaches the ledger. */
public interface UsageConfig {
    /** How often usage is written to the store; a crash loses at most this much. */
    @WithDefault("1s")
    Duration flushInterval();

    /** Rows of usage kept in memory while the store is unreachable; beyond, usage is dropped and counted. */
    @WithDefault("100000")
    int maxBufferedRows();
}
