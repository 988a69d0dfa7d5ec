package dev.embeddinggateway.config;

import java.util.Optional;

/** {@code gateway.admin.*}: the admin key, which manages stored keys and sees every team. */
public interface AdminConfig {
    /** Hex SHA-256 of the admin key, which manages keys and sees every team's usage. */
    Optional<String> keySha256();
}
