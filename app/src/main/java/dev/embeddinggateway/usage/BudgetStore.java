package dev.embeddinggateway.usage;

import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Budgeted keys' monthly spend and holds in the gateway's database, where every replica sees them. A hold is
 * decided with the key's spend row locked, so replicas take their turns: together they overshoot a budget by at
 * most what one request costs beyond its estimate. Standard SQL for H2 and PostgreSQL.
 */
final class BudgetStore {
    /** Longer than any request lives: a hold this old belonged to a replica that died. */
    static final Duration HOLD_LIFETIME = Duration.ofMinutes(10);
    private static final String UNIQUE_VIOLATION = "23505";

    private final Database database;
    /** Spend rows known to exist (key and month): checked once, not on every request. */
    private final Set<String> knownRows = ConcurrentHashMap.newKeySet();

    BudgetStore(Database database) {
        this.database = database;
    }

    /** A key's spend row of a month, created from {@code spentSoFar} when it is the month's first request. */
    interface SpentSoFar {
        BigDecimal get() throws SQLException;
    }

    /**
     * Holds {@code amount} for the key's month when what it spent, what its requests in flight hold and
     * {@code amount} stay within {@code budget}.
     *
     * @return the hold's id, or empty when the budget would be exceeded
     */
    Optional<String> hold(String key, LocalDate month, BigDecimal amount, BigDecimal budget, SpentSoFar spentSoFar)
            throws SQLException {
        createSpendRow(key, month, spentSoFar);
        return database.transaction(c -> {
            BigDecimal spent = lockedSpend(c, key, month);
            BigDecimal held = held(c, key, month);
            if (spent.add(held).add(amount).compareTo(budget) > 0) {
                c.rollback();
                return Optional.empty();
            }
            String id = UUID.randomUUID().toString();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO budget_holds (id, api_key, month_start, amount_usd, created_at) VALUES (?, ?, ?, ?, ?)")) {
                SqlRows.bind(insert, id, key, Date.valueOf(month), amount, Database.utc(Instant.now()));
                insert.executeUpdate();
            }
            return Optional.of(id);
        });
    }

    /** Drops the hold and adds what the request really cost (zero when it failed), in one transaction. */
    void settle(String holdId, String key, LocalDate month, BigDecimal cost) throws SQLException {
        database.transaction(c -> {
            try (PreparedStatement drop = c.prepareStatement("DELETE FROM budget_holds WHERE id = ?");
                 PreparedStatement add = c.prepareStatement(
                         "UPDATE budget_spend SET spent_usd = spent_usd + ? WHERE api_key = ? AND month_start = ?")) {
                SqlRows.bind(drop, holdId);
                drop.executeUpdate();
                SqlRows.bind(add, cost, key, Date.valueOf(month));
                return add.executeUpdate();
            }
        });
    }

    /** One connection at a time: {@code spentSoFar} takes its own, and the pool may have no second one to give. */
    private void createSpendRow(String key, LocalDate month, SpentSoFar spentSoFar) throws SQLException {
        String row = key + "/" + month;
        if (knownRows.contains(row)) {
            return;
        }
        try (Connection c = database.connection(); PreparedStatement select = spendQuery(c, "", key, month);
             ResultSet rs = select.executeQuery()) {
            if (rs.next()) {
                knownRows.add(row);
                return;
            }
        }
        BigDecimal spent = spentSoFar.get();
        try (Connection c = database.connection(); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO budget_spend (api_key, month_start, spent_usd) VALUES (?, ?, ?)")) {
            SqlRows.bind(insert, key, Date.valueOf(month), spent);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e; // else another request or replica created it first: theirs stands
            }
        }
        knownRows.add(row);
    }

    private static BigDecimal lockedSpend(Connection c, String key, LocalDate month) throws SQLException {
        try (PreparedStatement select = spendQuery(c, " FOR UPDATE", key, month); ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("budget row of " + key + " for " + month + " is missing");
            }
            return rs.getBigDecimal(1);
        }
    }

    private static PreparedStatement spendQuery(Connection c, String lock, String key, LocalDate month) throws SQLException {
        PreparedStatement select = c.prepareStatement(
                "SELECT spent_usd FROM budget_spend WHERE api_key = ? AND month_start = ?" + lock);
        SqlRows.bind(select, key, Date.valueOf(month));
        return select;
    }

    /** What the key's live holds add up to; lapsed ones are dropped on the way. */
    private static BigDecimal held(Connection c, String key, LocalDate month) throws SQLException {
        Timestamp lapsed = Database.utc(Instant.now().minus(HOLD_LIFETIME));
        try (PreparedStatement drop = c.prepareStatement(
                "DELETE FROM budget_holds WHERE api_key = ? AND month_start = ? AND created_at <= ?")) {
            SqlRows.bind(drop, key, Date.valueOf(month), lapsed);
            drop.executeUpdate();
        }
        try (PreparedStatement sum = c.prepareStatement(
                "SELECT SUM(amount_usd) FROM budget_holds WHERE api_key = ? AND month_start = ?")) {
            SqlRows.bind(sum, key, Date.valueOf(month));
            try (ResultSet rs = sum.executeQuery()) {
                BigDecimal held = rs.next() ? rs.getBigDecimal(1) : null;
                return held == null ? BigDecimal.ZERO : held;
            }
        }
    }
}
