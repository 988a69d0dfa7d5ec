package dev.embeddinggateway.config;

import java.util.Optional;

public interface AdminConfig {
    /** Hex SHA-256 of the admin key, which manages keys and sees every team's usage. */
    Optional<String> keySha256();
}
