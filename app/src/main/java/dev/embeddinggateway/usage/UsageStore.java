package dev.embeddinggateway.usage;

import dev.embeddinggateway.routing.GatewayConfig;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import org.flywaydb.core.Flyway;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger's database: PostgreSQL when {@code gateway.store.jdbc-url} names one, else an embedded H2 file
 * under ./data; the same schema (Flyway) and the same standard SQL for both, chosen at start.
 */
final class UsageStore implements AutoCloseable {
    static final String EMBEDDED_URL = "jdbc:h2:file:./data/gateway;DB_CLOSE_ON_EXIT=FALSE";
    /** The dimensions /v1/usage groups by, and the SQL of each. */
    static final Map<String, String> GROUPS = Map.of("provider", "provider", "model", "model", "key", "api_key",
            "team", "team", "day", "CAST(bucket AS DATE)");

    private static final String MERGE = """
            MERGE INTO usage_minute u
            USING (VALUES (CAST(? AS TIMESTAMP), CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(128)),
                           CAST(? AS VARCHAR(256)), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),
                           CAST(? AS NUMERIC(24, 12)), CAST(? AS NUMERIC(24, 12))))
                AS s (bucket, api_key, team, provider, model, requests, input_tokens, billed_tokens, cached_tokens, cost_usd, saved_usd)
            ON u.bucket = s.bucket AND u.api_key = s.api_key AND u.team = s.team AND u.provider = s.provider AND u.model = s.model
            WHEN MATCHED THEN UPDATE SET requests = u.requests + s.requests, input_tokens = u.input_tokens + s.input_tokens,
                billed_tokens = u.billed_tokens + s.billed_tokens, cached_tokens = u.cached_tokens + s.cached_tokens,
                cost_usd = u.cost_usd + s.cost_usd, saved_usd = u.saved_usd + s.saved_usd
            WHEN NOT MATCHED THEN INSERT (bucket, api_key, team, provider, model, requests, input_tokens, billed_tokens,
                cached_tokens, cost_usd, saved_usd)
                VALUES (s.bucket, s.api_key, s.team, s.provider, s.model, s.requests, s.input_tokens, s.billed_tokens,
                s.cached_tokens, s.cost_usd, s.saved_usd)
            """;

    private final AgroalDataSource dataSource;
    private final String description;

    private UsageStore(AgroalDataSource dataSource, String description) {
        this.dataSource = dataSource;
        this.description = description;
    }

    static UsageStore open(GatewayConfig.Store config) throws SQLException {
        String url = config.jdbcUrl().orElse(EMBEDDED_URL);
        AgroalDataSource dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(4).acquisitionTimeout(Duration.ofSeconds(5))
                        // A restarted PostgreSQL leaves dead connections behind: test them before use.
                        .validateOnBorrow(true).connectionValidator(ConnectionValidator.defaultValidatorWithTimeout(2))
                        .exceptionSorter(ExceptionSorter.fatalExceptionSorter())
                        .connectionFactoryConfiguration(factory -> {
                            factory.jdbcUrl(url);
                            config.username().ifPresent(u -> factory.principal(new NamePrincipal(u)));
                            config.password().ifPresent(p -> factory.credential(new SimplePassword(p)));
                            return factory;
                        })));
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        // The URL without its parameters: they may carry a password.
        String where = config.jdbcUrl().map(u -> "PostgreSQL " + u.replaceFirst("\\?.*", "")).orElse("embedded H2 file ./data/gateway.mv.db");
        return new UsageStore(dataSource, where);
    }

    String description() {
        return description;
    }

    /** Adds the rows to what is stored, all or none. */
    void add(Collection<UsageRow> rows) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement merge = connection.prepareStatement(MERGE)) {
                for (UsageRow row : rows) {
                    UsageRow.Totals t = row.totals();
                    merge.setTimestamp(1, Timestamp.valueOf(LocalDateTime.ofInstant(row.bucket(), ZoneOffset.UTC)));
                    merge.setString(2, row.apiKey());
                    merge.setString(3, row.team());
                    merge.setString(4, row.provider());
                    merge.setString(5, row.model());
                    merge.setLong(6, t.requests());
                    merge.setLong(7, t.inputTokens());
                    merge.setLong(8, t.billedTokens());
                    merge.setLong(9, t.cachedTokens());
                    merge.setBigDecimal(10, t.costUsd());
                    merge.setBigDecimal(11, t.savedUsd());
                    merge.addBatch();
                }
                merge.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** One line of a usage report: the values of its group, and its sums. */
    record Sum(Map<String, String> group, UsageRow.Totals totals) {
    }

    /** Sums of [from, to), grouped by some of {@link #GROUPS}, for one team or all. */
    List<Sum> sum(Instant from, Instant to, List<String> groupBy, Optional<String> team) throws SQLException {
        List<String> columns = groupBy.stream().map(GROUPS::get).toList();
        String select = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
        String sql = "SELECT " + select + "SUM(requests), SUM(input_tokens), SUM(billed_tokens), SUM(cached_tokens), "
                + "SUM(cost_usd), SUM(saved_usd) FROM usage_minute WHERE bucket >= ? AND bucket < ?"
                + (team.isPresent() ? " AND team = ?" : "")
                + (columns.isEmpty() ? "" : " GROUP BY " + String.join(", ", columns) + " ORDER BY " + String.join(", ", columns));
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setTimestamp(1, Timestamp.valueOf(LocalDateTime.ofInstant(from, ZoneOffset.UTC)));
            query.setTimestamp(2, Timestamp.valueOf(LocalDateTime.ofInstant(to, ZoneOffset.UTC)));
            if (team.isPresent()) {
                query.setString(3, team.get());
            }
            List<Sum> sums = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> group = new LinkedHashMap<>();
                    for (int i = 0; i < groupBy.size(); i++) {
                        group.put(groupBy.get(i), rs.getString(i + 1));
                    }
                    int n = groupBy.size();
                    if (rs.getObject(n + 1) == null) {
                        continue; // no rows at all: SUM of nothing
                    }
                    sums.add(new Sum(group, new UsageRow.Totals(rs.getLong(n + 1), rs.getLong(n + 2), rs.getLong(n + 3),
                            rs.getLong(n + 4), money(rs.getBigDecimal(n + 5)), money(rs.getBigDecimal(n + 6)))));
                }
            }
            return sums;
        }
    }

    private static BigDecimal money(BigDecimal value) {
        return value.stripTrailingZeros();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
