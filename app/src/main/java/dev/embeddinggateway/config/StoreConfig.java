package dev.embeddinggateway.config;

import java.util.Optional;

/** {@code gateway.store.*}: the database of the usage ledger, budgets, keys, audit trail and batch jobs. */
public interface StoreConfig {
    /** A PostgreSQL JDBC URL; without it, an embedded database file under ./data. */
    Optional<String> jdbcUrl();

    Optional<String> username();

    Optional<String> password();
}
