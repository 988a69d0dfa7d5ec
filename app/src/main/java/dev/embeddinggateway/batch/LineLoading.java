package dev.embeddinggateway.batch;

import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Stores a batch's lines as they are read, cut into chunks of at most so many lines and so many inputs (what bounds
 * a chunk's memory while it runs), in one transaction that {@link #start} commits with the
 * batch in progress; closed without, nothing of it is kept.
 */
final class LineLoading implements AutoCloseable {
    private final BatchStep step;
    private final String worker;
    private final int chunkLines;
    private final int chunkInputs;
    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement chunk;
    private int count;
    private int chunks;
    /** The open chunk's first and last line, lines and inputs; no lines: none is open. */
    private int first;
    private int last;
    private int lines;
    private long inputs;
    private boolean closed;

    private LineLoading(BatchStep step, String worker, int chunkLines, int chunkInputs, Connection connection)
            throws SQLException {
        this.step = step;
        this.worker = worker;
        this.chunkLines = chunkLines;
        this.chunkInputs = chunkInputs;
        this.connection = connection;
        connection.setAutoCommit(false);
        insert = connection.prepareStatement(
                "INSERT INTO batch_line (batch_id, line_no, custom_id, body) VALUES (?, ?, ?, ?)");
        chunk = connection.prepareStatement(
                "INSERT INTO batch_chunk (batch_id, seq, first_line, last_line, done) VALUES (?, ?, ?, ?, FALSE)");
    }

    /**
     * The lines of {@code step}'s batch, which {@code worker} validates, in chunks of up to {@code chunkLines} lines
     * and {@code chunkInputs} inputs.
     */
    static LineLoading of(Database database, BatchStep step, String worker, int chunkLines, int chunkInputs)
            throws SQLException {
        return new LineLoading(step, worker, chunkLines, chunkInputs, database.connection());
    }

    void add(RequestLine line, int lineInputs) throws SQLException {
        if (lines > 0 && inputs + lineInputs > chunkInputs) {
            endChunk();
        }
        SqlRows.bind(insert, step.batchId(), line.lineNo(), line.customId(), line.body());
        insert.addBatch();
        if (lines == 0) {
            first = line.lineNo();
        }
        last = line.lineNo();
        lines++;
        inputs += lineInputs;
        count++;
        if (lines == chunkLines) {
            endChunk();
        }
    }

    private void endChunk() throws SQLException {
        insert.executeBatch();
        SqlRows.bind(chunk, step.batchId(), chunks++, first, last);
        chunk.executeUpdate();
        lines = 0;
        inputs = 0;
    }

    /** Commits the lines with the batch in progress; false (and nothing kept) when the batch is no longer ours. */
    boolean start() throws SQLException {
        if (lines > 0) {
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
