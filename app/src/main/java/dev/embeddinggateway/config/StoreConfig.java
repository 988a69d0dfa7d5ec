package dev.embeddinggateway.config;

import java.util.Optional;

public interface StoreConfig {
    /** A PostgreSQL JDBC URL; without it, an embedded database file under ./data. */
    Optional<String> jdbcUrl();

    Optional<String> username();

    Optional<String> password();
}
