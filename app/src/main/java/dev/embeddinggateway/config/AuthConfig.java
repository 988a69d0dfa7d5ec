package dev.embeddinggateway.config;

import io.smallrye.config.WithDefault;

/** {@code gateway.auth.*}: what failed authentication attempts cost an address. */
public interface AuthConfig {
    /** Failed authentications a client address may make in a minute before it is refused (429) for the rest of it. */
    @WithDefault("20")
    long failedAttemptsPerMinute();
}
