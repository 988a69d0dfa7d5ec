package dev.embeddinggateway.batch;

import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;
import dev.embeddinggateway.usage.UsageLedger;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How replicas share the work of batches: by leases. A row is picked with {@code FOR UPDATE SKIP LOCKED}, so
 * replicas asking at once get different rows without waiting on each other, and marked with the replica and a time;
 * a replica that dies stops renewing, and its work is picked again once the time has passed. A result is written
 * only by the lease's holder, in one transaction with the chunk marked done: each line's result is stored exactly
 * once.
 */
@ApplicationScoped
public class BatchLeases {
    private final Database database;
    private final UsageLedger ledger;

    public BatchLeases(Database database, UsageLedger ledger) {
        this.database = database;
        this.ledger = ledger;
    }

    /**
     * Leases a batch that needs a step of its own: one being validated, cancelled, past its window, or whose lines
     * are all done; empty when none is free.
     */
    Optional<BatchStep> leaseStep(String worker, Duration lease) throws SQLException {
        long now = Batch.now();
        return leaseOne("SELECT id, status, owner_key, input_file_id, endpoint, expires_at FROM batch b WHERE "
                        + "(lease_until IS NULL OR lease_until < ?) AND (status IN (?, ?) OR (status = ? AND (expires_at < ? "
                        + "OR NOT EXISTS (SELECT 1 FROM batch_chunk c WHERE c.batch_id = b.id AND NOT c.done)))) "
                        + "ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED",
                new Object[]{now, Batch.VALIDATING, Batch.CANCELLING, Batch.IN_PROGRESS, now},
                rs -> new BatchStep(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6)),
                "UPDATE batch SET lease_owner = ?, lease_until = ? WHERE id = ?",
                step -> new Object[]{worker, now + lease.toSeconds(), step.batchId()});
    }

    /**
     * Leases a chunk of lines of a batch in progress; empty when none. Fair across owners: the chunk of the owner
     * with the fewest chunks leased now (on any replica) comes first, so one key's many batches take turns with
     * another key's one; then the lowest-numbered first across batches.
     */
    Optional<Chunk> leaseChunk(String worker, Duration lease) throws SQLException {
        long now = Batch.now();
        return leaseOne("SELECT batch_id, seq, first_line, last_line, (SELECT owner_key FROM batch b WHERE b.id = "
                        + "c.batch_id), (SELECT owner_team FROM batch b WHERE b.id = c.batch_id) FROM batch_chunk c WHERE NOT "
                        + "done AND (lease_until IS NULL OR lease_until < ?) AND batch_id IN (SELECT id FROM batch WHERE "
                        + "status = ? AND expires_at >= ?) ORDER BY (SELECT COUNT(*) FROM batch_chunk l WHERE NOT l.done AND "
                        + "l.lease_until >= ? AND l.batch_id IN (SELECT o.id FROM batch o WHERE o.owner_key = (SELECT "
                        + "b.owner_key FROM batch b WHERE b.id = c.batch_id))), seq, batch_id LIMIT 1 FOR UPDATE SKIP LOCKED",
                new Object[]{now, Batch.IN_PROGRESS, now, now},
                rs -> new Chunk(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                        rs.getString(6)),
                "UPDATE batch_chunk SET lease_owner = ?, lease_until = ? WHERE batch_id = ? AND seq = ?",
                chunk -> new Object[]{worker, now + lease.toSeconds(), chunk.batchId(), chunk.seq()});
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

    /**
     * Renews {@code worker}'s lease of a chunk.
     *
     * @return false when it holds it no longer: taken over, or its batch cancelled or finished
     */
    boolean renew(Chunk chunk, String worker, Duration lease) throws SQLException {
        return database.update("UPDATE batch_chunk SET lease_until = ? WHERE batch_id = ? AND seq = ? AND lease_owner = ? "
                + "AND NOT done AND batch_id IN (SELECT id FROM batch WHERE status = ?)", Batch.now() + lease.toSeconds(),
                chunk.batchId(), chunk.seq(), worker, Batch.IN_PROGRESS) == 1;
    }

    /** Renews {@code worker}'s lease of a batch's own step. */
    void renew(BatchStep step, String worker, Duration lease) throws SQLException {
        database.update("UPDATE batch SET lease_until = ? WHERE id = ? AND lease_owner = ?", Batch.now() + lease.toSeconds(),
                step.batchId(), worker);
    }

    /**
     * Gives up {@code worker}'s leases of chunks not done (the replica stops): another replica, or this one once
     * restarted, runs them at once rather than after the lease has run out.
     */
    void releaseChunks(String worker) throws SQLException {
        database.update("UPDATE batch_chunk SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND NOT done",
                worker);
    }

    /** Gives a batch's lease up without a change (its step could not be done now). */
    void release(BatchStep step, String worker) throws SQLException {
        database.update("UPDATE batch SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
                step.batchId(), worker);
    }

    /** Validation failed: the batch is {@code failed} with {@code errors}, OpenAI's list of them. */
    void fail(BatchStep step, String worker, String errors) throws SQLException {
        database.update("UPDATE batch SET status = ?, failed_at = ?, errors = ?, lease_owner = NULL, lease_until = NULL "
                + "WHERE id = ? AND status = ? AND lease_owner = ?", Batch.FAILED, Batch.now(), errors, step.batchId(),
                Batch.VALIDATING, worker);
    }

    List<RequestLine> lines(Chunk chunk) throws SQLException {
        try (Connection connection = database.connection()) {
            return SqlRows.query(connection, "SELECT line_no, custom_id, body FROM batch_line WHERE batch_id = ? AND "
                            + "line_no BETWEEN ? AND ? ORDER BY line_no", rs -> new RequestLine(rs.getInt(1), rs.getString(2),
                            rs.getBytes(3)), chunk.batchId(), chunk.firstLine(), chunk.lastLine());
        }
    }

    /**
     * Stores the chunk's results and what they are billed, and marks it done, if {@code worker} still holds its
     * lease: a result is billed exactly when it is stored.
     *
     * @return false when it does not (another replica took the chunk over, or the batch was finalized): nothing
     * is stored, nothing billed
     */
    boolean finish(Chunk chunk, String worker, List<LineResult> results) throws SQLException {
        return database.transaction(connection -> {
            try (PreparedStatement done = connection.prepareStatement("UPDATE batch_chunk SET done = TRUE, lease_owner = "
                    + "NULL, lease_until = NULL WHERE batch_id = ? AND seq = ? AND lease_owner = ? AND NOT done");
                 PreparedStatement line = connection.prepareStatement(
                         "UPDATE batch_line SET result = ?, ok = ? WHERE batch_id = ? AND line_no = ?");
                 PreparedStatement counts = connection.prepareStatement(
                         "UPDATE batch SET completed = completed + ?, failed = failed + ? WHERE id = ?")) {
                SqlRows.bind(done, chunk.batchId(), chunk.seq(), worker);
                if (done.executeUpdate() == 0) {
                    connection.rollback();
                    return false;
                }
                int ok = 0;
                for (LineResult result : results) {
                    SqlRows.bind(line, result.json(), result.ok(), chunk.batchId(), result.lineNo());
                    line.addBatch();
                    ok += result.ok() ? 1 : 0;
                }
                line.executeBatch();
                SqlRows.bind(counts, ok, results.size() - ok, chunk.batchId());
                counts.executeUpdate();
                // After the batch's row is locked: the chunks of one batch add to its ledger rows one at a time.
                ledger.store(connection, results.stream().flatMap(r -> r.usage().stream()).toList());
                return true;
            }
        });
    }
}
