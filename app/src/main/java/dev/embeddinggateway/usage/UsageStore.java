package dev.embeddinggateway.usage;

import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The ledger's rows in the gateway's {@link Database}: standard SQL for H2 and PostgreSQL. */
final class UsageStore {
    /** The dimensions /v1/usage groups by, and the SQL of each. */
    static final Map<String, String> GROUPS = Map.of("provider", "provider", "model", "model", "key", "api_key",
            "team", "team", "day", "CAST(bucket AS DATE)", "hour", "DATE_TRUNC('HOUR', bucket)", "minute", "bucket",
            "batch", "batch_id");

    /** The batch_id of interactive work: the column is part of the row's key, so never null. */
    private static final String NO_BATCH = "";

    /** Groups that are a time, given as an ISO instant (2026-11-29T06:00:00Z): the table keeps UTC. */
    private static final Set<String> TIMES = Set.of("hour", "minute");

    private static final String MERGE = """
            MERGE INTO usage_minute u
            USING (VALUES (CAST(? AS TIMESTAMP), CAST(? AS VARCHAR(300)), CAST(? AS VARCHAR(300)), CAST(? AS VARCHAR(128)),
                           CAST(? AS VARCHAR(256)), CAST(? AS VARCHAR(64)), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),
                           CAST(? AS BIGINT), CAST(? AS NUMERIC(24, 12)), CAST(? AS NUMERIC(24, 12))))
                AS s (bucket, api_key, team, provider, model, batch_id, requests, input_tokens, billed_tokens, estimated_tokens,
                      cached_tokens, cost_usd, saved_usd)
            ON u.bucket = s.bucket AND u.api_key = s.api_key AND u.team = s.team AND u.provider = s.provider AND u.model = s.model
                AND u.batch_id = s.batch_id
            WHEN MATCHED THEN UPDATE SET requests = u.requests + s.requests, input_tokens = u.input_tokens + s.input_tokens,
                billed_tokens = u.billed_tokens + s.billed_tokens, estimated_tokens = u.estimated_tokens + s.estimated_tokens,
                cached_tokens = u.cached_tokens + s.cached_tokens,
                cost_usd = u.cost_usd + s.cost_usd, saved_usd = u.saved_usd + s.saved_usd
            WHEN NOT MATCHED THEN INSERT (bucket, api_key, team, provider, model, batch_id, requests, input_tokens,
                billed_tokens, estimated_tokens, cached_tokens, cost_usd, saved_usd)
                VALUES (s.bucket, s.api_key, s.team, s.provider, s.model, s.batch_id, s.requests, s.input_tokens, s.billed_tokens,
                s.estimated_tokens, s.cached_tokens, s.cost_usd, s.saved_usd)
            """;

    private final Database database;

    UsageStore(Database database) {
        this.database = database;
    }

    /** Adds the rows to what is stored, all or none. */
    void add(Collection<UsageRow> rows) throws SQLException {
        database.transaction(connection -> {
            add(connection, rows);
            return null;
        });
    }

    /** Adds the rows on {@code connection}, in the caller's transaction. */
    void add(Connection connection, Collection<UsageRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement merge = connection.prepareStatement(MERGE)) {
            for (UsageRow row : rows) {
                UsageRow.Totals t = row.totals();
                SqlRows.bind(merge, Database.utc(row.bucket()), row.apiKey(), row.team(), row.provider(),
                        row.model(), row.work().batchId().orElse(NO_BATCH), t.requests(), t.inputTokens(),
                        t.billedTokens(), t.estimatedTokens(), t.cachedTokens(), t.costUsd(), t.savedUsd());
                merge.addBatch();
            }
            merge.executeBatch();
        }
    }

    BigDecimal costSince(String apiKey, Instant from) throws SQLException {
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(
                "SELECT SUM(cost_usd) FROM usage_minute WHERE api_key = ? AND bucket >= ?")) {
            SqlRows.bind(query, apiKey, Database.utc(from));
            try (ResultSet rs = query.executeQuery()) {
                BigDecimal cost = rs.next() ? rs.getBigDecimal(1) : null;
                return cost == null ? BigDecimal.ZERO : cost;
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
        String sql = "SELECT " + select + "SUM(requests), SUM(input_tokens), SUM(billed_tokens), SUM(estimated_tokens), SUM(cached_tokens), "
                + "SUM(cost_usd), SUM(saved_usd) FROM usage_minute WHERE bucket >= ? AND bucket < ?"
                + (team.isPresent() ? " AND team = ?" : "")
                + (columns.isEmpty() ? "" : " GROUP BY " + String.join(", ", columns) + " ORDER BY " + String.join(", ", columns));
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(sql)) {
            List<Object> values = new ArrayList<>(List.of(Database.utc(from), Database.utc(to)));
            team.ifPresent(values::add);
            SqlRows.bind(query, values.toArray());
            List<Sum> sums = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> group = new LinkedHashMap<>();
                    for (int i = 0; i < groupBy.size(); i++) {
                        group.put(groupBy.get(i), TIMES.contains(groupBy.get(i))
                                ? rs.getTimestamp(i + 1).toLocalDateTime().toInstant(ZoneOffset.UTC).toString()
                                : rs.getString(i + 1));
                    }
                    int n = groupBy.size();
                    if (rs.getObject(n + 1) == null) {
                        continue; // no rows at all: SUM of nothing
                    }
                    sums.add(new Sum(group, new UsageRow.Totals(rs.getLong(n + 1), rs.getLong(n + 2), rs.getLong(n + 3),
                            rs.getLong(n + 4), rs.getLong(n + 5), money(rs.getBigDecimal(n + 6)), money(rs.getBigDecimal(n + 7)))));
                }
            }
            return sums;
        }
    }

    private static BigDecimal money(BigDecimal value) {
        return value.stripTrailingZeros();
    }
}
