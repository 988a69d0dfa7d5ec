package dev.embeddinggateway.batch;

import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The batches clients see, in the database every replica shares: created, found, listed and cancelled here; their
 * lines are run through {@link BatchLeases}.
 */
@ApplicationScoped
public class BatchStore {
    static final int MAX_LINES = 50_000;
    static final Duration WINDOW = Duration.ofHours(24);
    private static final String COLUMNS = "id, endpoint, errors, input_file_id, completion_window, status, output_file_id, "
            + "error_file_id, created_at, in_progress_at, expires_at, finalizing_at, completed_at, failed_at, expired_at, "
            + "cancelling_at, cancelled_at, total, completed, failed, metadata";

    private final Database database;

    public BatchStore(Database database) {
        this.database = database;
    }

    /** @param ownerTeam the owner's team, kept to run the batch as a signed-in person later (without their token) */
    Batch create(String owner, String ownerTeam, String inputFileId, String endpoint, String window, String metadata)
            throws SQLException {
        String id = SqlRows.newId("batch_");
        long now = Batch.now();
        database.update("INSERT INTO batch (id, owner_key, owner_team, input_file_id, endpoint, completion_window, metadata, "
                        + "status, created_at, expires_at, total, completed, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0)",
                id, owner, ownerTeam, inputFileId, endpoint, window, metadata, Batch.VALIDATING, now, now + WINDOW.toSeconds());
        return find(id, owner).orElseThrow();
    }

    /** The batch, when {@code owner} may see it (null: any owner, for the admin). */
    Optional<Batch> find(String id, String owner) throws SQLException {
        try (Connection connection = database.connection()) {
            String sql = "SELECT " + COLUMNS + " FROM batch WHERE id = ?" + (owner == null ? "" : " AND owner_key = ?");
            return SqlRows.query(connection, sql, BatchStore::batch, SqlRows.withOwner(owner, id)).stream().findFirst();
        }
    }

    /** Whose batch it is, when it exists. */
    Optional<String> owner(String id) throws SQLException {
        try (Connection connection = database.connection()) {
            return SqlRows.query(connection, "SELECT owner_key FROM batch WHERE id = ?", rs -> rs.getString(1), id)
                    .stream().findFirst();
        }
    }

    /** Newest first, those after {@code after} (the last of the previous page), at most {@code limit}. */
    List<Batch> list(String owner, Optional<Batch> after, int limit) throws SQLException {
        try (Connection connection = database.connection()) {
            return SqlRows.newestFirst(connection, "SELECT " + COLUMNS + " FROM batch", owner,
                    after.map(b -> new SqlRows.Cursor(b.createdAt(), b.id())), limit, BatchStore::batch);
        }
    }

    /** Asks a batch to stop: {@code cancelling} until a replica has written what it has done. */
    Optional<Batch> cancel(String id, String owner) throws SQLException {
        String sql = "UPDATE batch SET status = ?, cancelling_at = ? WHERE id = ? AND status IN (?, ?)"
                + (owner == null ? "" : " AND owner_key = ?");
        database.update(sql, SqlRows.withOwner(owner, Batch.CANCELLING, Batch.now(), id, Batch.VALIDATING, Batch.IN_PROGRESS));
        return find(id, owner);
    }

    private static Batch batch(ResultSet rs) throws SQLException {
        return new Batch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), (Long) rs.getObject(10, Long.class),
                rs.getLong(11), rs.getObject(12, Long.class), rs.getObject(13, Long.class), rs.getObject(14, Long.class),
                rs.getObject(15, Long.class), rs.getObject(16, Long.class), rs.getObject(17, Long.class),
                new Batch.RequestCounts(rs.getInt(18), rs.getInt(19), rs.getInt(20)), rs.getString(21));
    }
}
