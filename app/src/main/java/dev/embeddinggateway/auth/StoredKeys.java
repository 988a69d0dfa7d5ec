package dev.embeddinggateway.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.limits.PerMinute;
import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** API keys created through the admin API, in the gateway's database: their SHA-256 only. */
@ApplicationScoped
public class StoredKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> MODEL_NAMES = new TypeReference<>() {
    };
    private final Database database;

    public StoredKeys(Database database) {
        this.database = database;
    }

    /** A stored key as listed: everything but the key. */
    public record StoredKey(String id, String name, String team, Optional<Set<String>> models, Optional<Long> requestsPerMinute,
                            Optional<Long> tokensPerMinute, Optional<BigDecimal> monthlyBudgetUsd, Instant createdAt,
                            byte[] sha256) {
        Caller caller() {
            return new Caller(id, team, models, new PerMinute(requestsPerMinute, tokensPerMinute), monthlyBudgetUsd, false);
        }
    }

    /** A new key: the plain key, to be shown once, and what is stored of it. */
    public record Created(String key, StoredKey stored) {
    }

    /** What is written with a change to a key, in the same transaction: the audit trail's event of it. */
    public interface Also {
        void write(Connection connection, StoredKey key) throws SQLException;
    }

    /** A change and what goes with it, in one transaction: neither is kept without the other. */
    private boolean transaction(Database.Work<Boolean, RuntimeException> change, Also also, StoredKey key)
            throws SQLException {
        return database.transaction(c -> {
            boolean changed = change.run(c);
            if (changed) {
                also.write(c, key);
            }
            return changed;
        });
    }

    public Created create(String name, String team, Optional<Set<String>> models, Optional<Long> rpm, Optional<Long> tpm,
                          Optional<BigDecimal> budget, Also also) throws SQLException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "eg-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[9];
        RANDOM.nextBytes(idBytes);
        String id = "key_" + Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes);
        StoredKey stored = new StoredKey(id, name, team, models, rpm, tpm, budget, Instant.now(), Sha256.of(key));
        transaction(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO api_keys (id, name, sha256, team, models, requests_per_minute, tokens_per_minute, "
                            + "monthly_budget_usd, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                SqlRows.bind(insert, id, name, Sha256.hex(key), team, models.map(StoredKeys::modelsJson).orElse(null),
                        rpm.orElse(null), tpm.orElse(null),
                        budget.orElse(null), Timestamp.from(stored.createdAt()));
                return insert.executeUpdate() > 0;
            }
        }, also, stored);
        return new Created(key, stored);
    }

    public List<StoredKey> all() throws SQLException {
        try (Connection c = database.connection(); PreparedStatement select = c.prepareStatement(
                "SELECT id, name, sha256, team, models, requests_per_minute, tokens_per_minute, monthly_budget_usd, "
                        + "created_at FROM api_keys ORDER BY created_at, id");
             ResultSet rs = select.executeQuery()) {
            List<StoredKey> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(new StoredKey(rs.getString(1), rs.getString(2), rs.getString(4),
                        Optional.ofNullable(rs.getString(5)).map(StoredKeys::models),
                        optionalLong(rs, 6), optionalLong(rs, 7), Optional.ofNullable(rs.getBigDecimal(8)),
                        rs.getTimestamp(9).toInstant(), Sha256.parseHex(rs.getString(3), "api_keys.sha256")));
            }
            return keys;
        }
    }

    /** The models column: a JSON array of names. */
    static String modelsJson(Set<String> models) {
        try {
            return JSON.writeValueAsString(models);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a set of strings is always JSON", e);
        }
    }

    private static Set<String> models(String column) {
        try {
            return Set.copyOf(JSON.readValue(column, MODEL_NAMES));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("api_keys.models is not a JSON array of names: " + e.getOriginalMessage(), e);
        }
    }

    private static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    public Optional<StoredKey> find(String id) throws SQLException {
        return all().stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /** Sets a stored key's team, models, limits and budget to {@code changed}'s. @return whether it still existed */
    public boolean update(StoredKey changed, Also also) throws SQLException {
        return transaction(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE api_keys SET team = ?, models = ?, requests_per_minute = ?, tokens_per_minute = ?, "
                            + "monthly_budget_usd = ? WHERE id = ?")) {
                SqlRows.bind(update, changed.team(), changed.models().map(StoredKeys::modelsJson).orElse(null),
                        changed.requestsPerMinute().orElse(null), changed.tokensPerMinute().orElse(null),
                        changed.monthlyBudgetUsd().orElse(null), changed.id());
                return update.executeUpdate() > 0;
            }
        }, also, changed);
    }

    /** @return whether the key still existed */
    public boolean delete(StoredKey key, Also also) throws SQLException {
        return transaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM api_keys WHERE id = ?")) {
                SqlRows.bind(delete, key.id());
                return delete.executeUpdate() > 0;
            }
        }, also, key);
    }
}
