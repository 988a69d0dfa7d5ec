package dev.embeddinggateway.batch;

import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Stores a batch's lines as they are read, cut into chunks, in one transaction that {@link #start} commits with the
 * batch in progress; closed without, nothing of it is kept.
 */
final class LineLoading implements AutoCloseable {
    private final BatchStep step;
    private final String worker;
    private final int chunkLines;
    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement chunk;
    private int count;
    private int first;
    private int last;
    private boolean closed;

    private LineLoading(BatchStep step, String worker, int chunkLines, Connection connection) throws SQLException {
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

    /** The lines of {@code step}'s batch, which {@code worker} validates, in chunks of {@code chunkLines}. */
    static LineLoading of(Database database, BatchStep step, String worker, int chunkLines) throws SQLException {
        return new LineLoading(step, worker, chunkLines, database.connection());
    }

    void add(RequestLine line) throws SQLException {
        SqlRows.bind(insert, step.batchId(), line.lineNo(), line.customId(), line.body());
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
        SqlRows.bind(chunk, step.batchId(), (count - 1) / chunkLines, first, last);
        chunk.executeUpdate();
    }

    /** Commits the lines with the batch in progress; false (and nothing kept) when the batch is no longer ours. */
    boolean start() throws SQLException {
        if (count % chunkLines != 0) {
            endChunk();
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE batch SET status = ?, in_progress_at = ?, "
                + "total = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = ? AND lease_owner = ?")) {
            SqlRows.bind(update, Batch.IN_PROGRESS, Batch.now(), count, step.batchId(), Batch.VALIDATING, worker);
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
