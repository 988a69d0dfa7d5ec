package dev.embeddinggateway.batch;

import dev.embeddinggateway.store.SqlRows;
import dev.embeddinggateway.store.Database;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Batches, their request lines and the chunks of lines replicas lease, in the database every replica shares.
 * Work is handed out by leases: a row is picked with {@code FOR UPDATE SKIP LOCKED}, so replicas asking at once
 * get different rows without waiting on each other, and marked with the replica and a time; a replica that dies
 * stops renewing, and its work is picked again once the time has passed. A result is written only by the
 * lease's holder, in one transaction with the chunk marked done: each line's result is stored exactly once.
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

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    Batch create(String owner, String inputFileId, String endpoint, String window, String metadata) throws SQLException {
        String id = SqlRows.newId("batch_");
        long now = now();
        try (Connection connection = database.connection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO batch (id, owner_key, input_file_id, endpoint, completion_window, metadata, status, "
                        + "created_at, expires_at, total, completed, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0)")) {
            insert.setString(1, id);
            insert.setString(2, owner);
            insert.setString(3, inputFileId);
            insert.setString(4, endpoint);
            insert.setString(5, window);
            insert.setString(6, metadata);
            insert.setString(7, Batch.VALIDATING);
            insert.setLong(8, now);
            insert.setLong(9, now + WINDOW.toSeconds());
            insert.executeUpdate();
        }
        return find(id, owner).orElseThrow();
    }

    /** The batch, when {@code owner} may see it (null: any owner, for the admin). */
    Optional<Batch> find(String id, String owner) throws SQLException {
        try (Connection connection = database.connection()) {
            String sql = "SELECT " + COLUMNS + " FROM batch WHERE id = ?" + (owner == null ? "" : " AND owner_key = ?");
            Object[] values = owner == null ? new Object[]{id} : new Object[]{id, owner};
            return SqlRows.query(connection, sql, BatchStore::batch, values).stream().findFirst();
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
        Object[] values = owner == null ? new Object[]{Batch.CANCELLING, now(), id, Batch.VALIDATING, Batch.IN_PROGRESS}
                : new Object[]{Batch.CANCELLING, now(), id, Batch.VALIDATING, Batch.IN_PROGRESS, owner};
        update(sql, values);
        return find(id, owner);
    }

    /** One statement on a connection of its own: the rows it changed. */
    private int update(String sql, Object... values) throws SQLException {
        try (Connection connection = database.connection(); PreparedStatement update = connection.prepareStatement(sql)) {
            SqlRows.bind(update, values);
            return update.executeUpdate();
        }
    }

    /** A batch whose next step is the batch's own (validate, finalize) rather than its lines'. */
    record Step(String batchId, String status, String owner, String inputFileId, String endpoint, long expiresAt) {
    }

    /**
     * Leases a batch that needs a step of its own: one being validated, cancelled, past its window, or whose lines
     * are all done; empty when none is free.
     */
    Optional<Step> leaseStep(String worker, Duration lease) throws SQLException {
        long now = now();
        return leaseOne("SELECT id, status, owner_key, input_file_id, endpoint, expires_at FROM batch b WHERE "
                        + "(lease_until IS NULL OR lease_until < ?) AND (status IN (?, ?) OR (status = ? AND (expires_at < ? "
                        + "OR NOT EXISTS (SELECT 1 FROM batch_chunk c WHERE c.batch_id = b.id AND NOT c.done)))) "
                        + "ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED",
                new Object[]{now, Batch.VALIDATING, Batch.CANCELLING, Batch.IN_PROGRESS, now},
                rs -> new Step(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6)),
                "UPDATE batch SET lease_owner = ?, lease_until = ? WHERE id = ?",
                step -> new Object[]{worker, now + lease.toSeconds(), step.batchId()});
    }

    /**
     * In one transaction: the row {@code pick} finds (it ends {@code FOR UPDATE SKIP LOCKED}), read by
     * {@code reader}, then {@code mark} with the values {@code markValues} gives for it; empty when no row is free.
     */
    private <T> Optional<T> leaseOne(String pick, Object[] pickValues, SqlRows.Reader<T> reader, String mark,
                                     Function<T, Object[]> markValues) throws SQLException {
        return database.transaction(connection -> {
            Optional<T> picked = SqlRows.query(connection, pick, reader, pickValues).stream().findFirst();
            if (picked.isPresent()) {
                try (PreparedStatement update = connection.prepareStatement(mark)) {
                    SqlRows.bind(update, markValues.apply(picked.get()));
                    update.executeUpdate();
                }
            }
            return picked;
        });
    }

    /** A line as uploaded. */
    record Line(int lineNo, String customId, byte[] body) {
    }

    /**
     * Stores a batch's lines as they are read, in one transaction that {@link Loading#start} commits with the
     * batch in progress; closed without, nothing of it is kept.
     */
    Loading load(Step step, String worker, int chunkLines) throws SQLException {
        return new Loading(step, worker, chunkLines, database.connection());
    }

    final class Loading implements AutoCloseable {
        private final Step step;
        private final String worker;
        private final int chunkLines;
        private final Connection connection;
        private final PreparedStatement insert;
        private final PreparedStatement chunk;
        private int count;
        private int first;
        private int last;
        private boolean closed;

        private Loading(Step step, String worker, int chunkLines, Connection connection) throws SQLException {
            this.step = step;
            this.worker = worker;
            this.chunkLines = chunkLines;
            this.connection = connection;
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(
                    "INSERT INTO batch_line (batch_id, line_no, custom_id, body) VALUES (?, ?, ?, ?)");
            chunk = connection.prepareStatement(
                    "INSERT INTO batch_chunk (batch_id, seq, first_line, last_line, done) VALUES (?, ?, ?, ?, FALSE)");
        }

        void add(Line line) throws SQLException {
            insert.setString(1, step.batchId());
            insert.setInt(2, line.lineNo());
            insert.setString(3, line.customId());
            insert.setBytes(4, line.body());
            insert.addBatch();
            if (count % chunkLines == 0) {
                first = line.lineNo();
            }
            last = line.lineNo();
            count++;
            if (count % chunkLines == 0) {
                endChunk();
            }
        }

        private void endChunk() throws SQLException {
            insert.executeBatch();
            chunk.setString(1, step.batchId());
            chunk.setInt(2, (count - 1) / chunkLines);
            chunk.setInt(3, first);
            chunk.setInt(4, last);
            chunk.executeUpdate();
        }

        /** Commits the lines with the batch in progress; false (and nothing kept) when the batch is no longer ours. */
        boolean start() throws SQLException {
            if (count % chunkLines != 0) {
                endChunk();
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE batch SET status = ?, in_progress_at = ?, "
                    + "total = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = ? AND lease_owner = ?")) {
                update.setString(1, Batch.IN_PROGRESS);
                update.setLong(2, now());
                update.setInt(3, count);
                update.setString(4, step.batchId());
                update.setString(5, Batch.VALIDATING);
                update.setString(6, worker);
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            connection.commit();
            return true;
        }

        @Override
        public void close() throws SQLException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                connection.rollback();
            } finally {
                insert.close();
                chunk.close();
                connection.close();
            }
        }
    }

    /** Validation failed: the batch is {@code failed} with {@code errors}, OpenAI's list of them. */
    void fail(Step step, String worker, String errors) throws SQLException {
        update("UPDATE batch SET status = ?, failed_at = ?, errors = ?, lease_owner = NULL, lease_until = NULL "
                + "WHERE id = ? AND status = ? AND lease_owner = ?", Batch.FAILED, now(), errors, step.batchId(),
                Batch.VALIDATING, worker);
    }

    /** Gives a batch's lease up without a change (its step could not be done now). */
    void release(Step step, String worker) throws SQLException {
        update("UPDATE batch SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
                step.batchId(), worker);
    }

    /** Lines [firstLine, lastLine] of a batch, leased to one replica. */
    record Chunk(String batchId, int seq, int firstLine, int lastLine, String owner) {
    }

    /** Leases a chunk of lines of a batch in progress, the lowest-numbered first across batches; empty when none. */
    Optional<Chunk> leaseChunk(String worker, Duration lease) throws SQLException {
        long now = now();
        return leaseOne("SELECT batch_id, seq, first_line, last_line, (SELECT owner_key FROM batch b WHERE b.id = "
                        + "c.batch_id) FROM batch_chunk c WHERE NOT done AND (lease_until IS NULL OR lease_until < ?) AND "
                        + "batch_id IN (SELECT id FROM batch WHERE status = ? AND expires_at >= ?) ORDER BY seq, batch_id "
                        + "LIMIT 1 FOR UPDATE SKIP LOCKED",
                new Object[]{now, Batch.IN_PROGRESS, now},
                rs -> new Chunk(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getString(5)),
                "UPDATE batch_chunk SET lease_owner = ?, lease_until = ? WHERE batch_id = ? AND seq = ?",
                chunk -> new Object[]{worker, now + lease.toSeconds(), chunk.batchId(), chunk.seq()});
    }

    /**
     * Renews {@code worker}'s lease of a chunk.
     *
     * @return false when it holds it no longer: taken over, or its batch cancelled or finished
     */
    boolean renew(Chunk chunk, String worker, Duration lease) throws SQLException {
        return update("UPDATE batch_chunk SET lease_until = ? WHERE batch_id = ? AND seq = ? AND lease_owner = ? AND "
                + "NOT done AND batch_id IN (SELECT id FROM batch WHERE status = ?)", now() + lease.toSeconds(),
                chunk.batchId(), chunk.seq(), worker, Batch.IN_PROGRESS) == 1;
    }

    /** Renews {@code worker}'s lease of a batch's own step. */
    void renew(Step step, String worker, Duration lease) throws SQLException {
        update("UPDATE batch SET lease_until = ? WHERE id = ? AND lease_owner = ?", now() + lease.toSeconds(),
                step.batchId(), worker);
    }

    List<Line> lines(Chunk chunk) throws SQLException {
        try (Connection connection = database.connection()) {
            return SqlRows.query(connection, "SELECT line_no, custom_id, body FROM batch_line WHERE batch_id = ? AND "
                            + "line_no BETWEEN ? AND ? ORDER BY line_no", rs -> new Line(rs.getInt(1), rs.getString(2),
                            rs.getBytes(3)), chunk.batchId(), chunk.firstLine(), chunk.lastLine());
        }
    }

    /** A line's result: its line in the output file ({@code ok}) or in the error file. */
    record Result(int lineNo, byte[] json, boolean ok) {
    }

    /**
     * Stores the chunk's results and marks it done, if {@code worker} still holds its lease.
     *
     * @return false when it does not (another replica took the chunk over, or the batch was finalized): nothing
     * is stored
     */
    boolean finish(Chunk chunk, String worker, List<Result> results) throws SQLException {
        return database.transaction(connection -> {
            try (PreparedStatement done = connection.prepareStatement("UPDATE batch_chunk SET done = TRUE, lease_owner = "
                    + "NULL, lease_until = NULL WHERE batch_id = ? AND seq = ? AND lease_owner = ? AND NOT done");
                 PreparedStatement line = connection.prepareStatement(
                         "UPDATE batch_line SET result = ?, ok = ? WHERE batch_id = ? AND line_no = ?");
                 PreparedStatement counts = connection.prepareStatement(
                         "UPDATE batch SET completed = completed + ?, failed = failed + ? WHERE id = ?")) {
                done.setString(1, chunk.batchId());
                done.setInt(2, chunk.seq());
                done.setString(3, worker);
                if (done.executeUpdate() == 0) {
                    connection.rollback();
                    return false;
                }
                int ok = 0;
                for (Result result : results) {
                    line.setBytes(1, result.json());
                    line.setBoolean(2, result.ok());
                    line.setString(3, chunk.batchId());
                    line.setInt(4, result.lineNo());
                    line.addBatch();
                    ok += result.ok() ? 1 : 0;
                }
                line.executeBatch();
                counts.setInt(1, ok);
                counts.setInt(2, results.size() - ok);
                counts.setString(3, chunk.batchId());
                counts.executeUpdate();
                return true;
            }
        });
    }

    /** What a line that was never run is told in the error file. */
    interface Unrun {
        byte[] json(String customId);
    }

    /**
     * Writes the output and error files from the lines' results, in line order, and ends the batch as
     * {@code status}: all in one transaction, so a replica that dies midway leaves the batch for another to
     * finalize, and no file half-written. The batch's chunks are taken first, so a replica still working on one
     * cannot store a result the files miss.
     */
    boolean end(Step step, String worker, String status, Unrun unrun, FileStore files) throws SQLException, IOException {
        long now = now();
        return database.transaction(connection -> {
            try (PreparedStatement take = connection.prepareStatement(
                    "UPDATE batch_chunk SET lease_owner = ?, lease_until = ? WHERE batch_id = ?")) {
                take.setString(1, worker);
                take.setLong(2, Long.MAX_VALUE);
                take.setString(3, step.batchId());
                take.executeUpdate();
            }
            int[] counted = new int[2];
            BatchFile output = outputFile(connection, step, true, null, files, counted);
            BatchFile errors = outputFile(connection, step, false, unrun, files, counted);
            try (PreparedStatement update = connection.prepareStatement("UPDATE batch SET status = ?, output_file_id = ?, "
                    + "error_file_id = ?, finalizing_at = COALESCE(finalizing_at, ?), " + status + "_at = ?, "
                    + "completed = ?, failed = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?");
                 PreparedStatement lines = connection.prepareStatement("DELETE FROM batch_line WHERE batch_id = ?");
                 PreparedStatement chunks = connection.prepareStatement("DELETE FROM batch_chunk WHERE batch_id = ?")) {
                update.setString(1, status);
                nullable(update, 2, output);
                nullable(update, 3, errors);
                update.setLong(4, now);
                update.setLong(5, now);
                update.setInt(6, counted[0]);
                update.setInt(7, counted[1]);
                update.setString(8, step.batchId());
                update.setString(9, worker);
                if (update.executeUpdate() == 0) {
                    connection.rollback();
                    return false;
                }
                lines.setString(1, step.batchId());
                lines.executeUpdate();
                chunks.setString(1, step.batchId());
                chunks.executeUpdate();
            }
            return true;
        });
    }

    private static void nullable(PreparedStatement statement, int index, BatchFile file) throws SQLException {
        if (file == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, file.id());
        }
    }

    /**
     * The output file (results that are {@code ok}) or the error file (the others, and lines never run, told what
     * {@code unrun} says), a page of lines at a time; null when it would be empty. Adds what it wrote to
     * {@code counted} (completed, failed).
     */
    private static BatchFile outputFile(Connection connection, Step step, boolean ok, Unrun unrun, FileStore files,
                                        int[] counted) throws SQLException, IOException {
        String where = ok ? "ok = TRUE" : "(ok = FALSE OR ok IS NULL)";
        try (PreparedStatement any = connection.prepareStatement(
                "SELECT 1 FROM batch_line WHERE batch_id = ? AND " + where + " LIMIT 1")) {
            any.setString(1, step.batchId());
            try (ResultSet rs = any.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
            }
        }
        String name = step.batchId() + (ok ? "_output.jsonl" : "_error.jsonl");
        return files.add(connection, step.owner(), FileStore.BATCH_OUTPUT, name, out -> {
            try (PreparedStatement page = connection.prepareStatement("SELECT line_no, custom_id, result FROM batch_line "
                    + "WHERE batch_id = ? AND line_no > ? AND " + where + " ORDER BY line_no LIMIT 200")) {
                int after = -1;
                for (boolean more = true; more; ) {
                    page.setString(1, step.batchId());
                    page.setInt(2, after);
                    more = false;
                    try (ResultSet rs = page.executeQuery()) {
                        while (rs.next()) {
                            more = true;
                            after = rs.getInt(1);
                            byte[] json = rs.getBytes(3);
                            out.write(json == null ? unrun.json(rs.getString(2)) : json);
                            out.write('\n');
                            counted[ok ? 0 : 1]++;
                        }
                    }
                }
            }
        });
    }

    private static Batch batch(ResultSet rs) throws SQLException {
        return new Batch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), (Long) rs.getObject(10, Long.class),
                rs.getLong(11), rs.getObject(12, Long.class), rs.getObject(13, Long.class), rs.getObject(14, Long.class),
                rs.getObject(15, Long.class), rs.getObject(16, Long.class), rs.getObject(17, Long.class),
                new Batch.RequestCounts(rs.getInt(18), rs.getInt(19), rs.getInt(20)), rs.getString(21));
    }
}
