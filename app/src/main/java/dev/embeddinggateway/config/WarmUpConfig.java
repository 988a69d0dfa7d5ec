package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

/** {@code gateway.warm-up.*}: the requests a replica serves itself before it reports ready. */
public interface WarmUpConfig {
    /**
     * Requests this replica sends itself before it reports ready, on a model computed in this process (never
     * an upstream's, never a paid call), so that its first clients meet compiled code rather than the JVM's
     * interpreter; 0 turns it off. They are neither in the ledger nor in the usage meters.
     */
    @WithDefault("1500")
    int requests();
}
