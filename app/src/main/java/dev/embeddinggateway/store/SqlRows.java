package dev.embeddinggateway.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** The JDBC the stores share: parameters by position, rows read into values, pages of a list newest first. */
public final class SqlRows {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private SqlRows() {
    }

    /**
     * A new id: the time in ms, a counter of this process, then random, so that ids made later sort after (lists are
     * newest first), within one millisecond too.
     */
    public static String newId(String prefix) {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return prefix + String.format("%011x%04x", System.currentTimeMillis(), SEQUENCE.getAndIncrement() & 0xffff)
                + HexFormat.of().formatHex(b);
    }

    /** Makes a value of the current row. */
    public interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Sets the statement's parameters, in order; a null is SQL's NULL. */
    public static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }

    /**
     * {@code values}, then {@code owner} unless it is null: for a statement that ends {@code AND owner_key = ?} only
     * when it is of one owner (null: any owner, for the admin).
     */
    public static Object[] withOwner(String owner, Object... values) {
        if (owner == null) {
            return values;
        }
        Object[] all = Arrays.copyOf(values, values.length + 1);
        all[values.length] = owner;
        return all;
    }

    public static <T> List<T> query(Connection connection, String sql, Reader<T> reader, Object... values) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            bind(query, values);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        }
    }

    /** Where a page of a list starts: after the row created at {@code createdAt} with {@code id}. */
    public record Cursor(long createdAt, String id) {
    }

    /**
     * A page of {@code select} (a query over a table with {@code owner_key}, {@code created_at} and {@code id},
     * and no WHERE), newest first: of one owner (null: every owner), after {@code after}, at most {@code limit}.
     */
    public static <T> List<T> newestFirst(Connection connection, String select, String owner, Optional<Cursor> after, int limit,
                                   Reader<T> reader) throws SQLException {
        List<Object> values = new ArrayList<>();
        StringBuilder sql = new StringBuilder(select).append(" WHERE 1 = 1");
        if (owner != null) {
            sql.append(" AND owner_key = ?");
            values.add(owner);
        }
        if (after.isPresent()) {
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            values.addAll(List.of(after.get().createdAt(), after.get().createdAt(), after.get().id()));
        }
        values.add(limit);
        return query(connection, sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?").toString(), reader,
                values.toArray());
    }
}
