package dev.embeddinggateway.batch;

import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The end of a batch: its output and error files written from the lines' results, and its final state. */
@ApplicationScoped
public class BatchOutputFiles {
    private final Database database;
    private final FileStore files;

    public BatchOutputFiles(Database database, FileStore files) {
        this.database = database;
        this.files = files;
    }

    /** Result lines read at a time while a file is written: at most this many bytes' worth, and 200 lines. */
    private static final long PAGE_BYTES = 8 << 20;
    private static final int PAGE_LINES = 200;

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
    boolean end(BatchStep step, String worker, String status, Unrun unrun) throws SQLException, IOException {
        long now = Batch.now();
        return database.transaction(connection -> {
            try (PreparedStatement take = connection.prepareStatement(
                    "UPDATE batch_chunk SET lease_owner = ?, lease_until = ? WHERE batch_id = ?")) {
                SqlRows.bind(take, worker, Long.MAX_VALUE, step.batchId());
                take.executeUpdate();
            }
            int[] counted = new int[2];
            BatchFile output = outputFile(connection, step, true, null, counted);
            BatchFile errors = outputFile(connection, step, false, unrun, counted);
            try (PreparedStatement update = connection.prepareStatement("UPDATE batch SET status = ?, output_file_id = ?, "
                    + "error_file_id = ?, finalizing_at = COALESCE(finalizing_at, ?), " + status + "_at = ?, "
                    + "completed = ?, failed = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?");
                 PreparedStatement lines = connection.prepareStatement("DELETE FROM batch_line WHERE batch_id = ?");
                 PreparedStatement chunks = connection.prepareStatement("DELETE FROM batch_chunk WHERE batch_id = ?")) {
                SqlRows.bind(update, status, output == null ? null : output.id(), errors == null ? null : errors.id(), now,
                        now, counted[0], counted[1], step.batchId(), worker);
                if (update.executeUpdate() == 0) {
                    connection.rollback();
                    return false;
                }
                SqlRows.bind(lines, step.batchId());
                lines.executeUpdate();
                SqlRows.bind(chunks, step.batchId());
                chunks.executeUpdate();
            }
            return true;
        });
    }

    /**
     * The output file (results that are {@code ok}) or the error file (the others, and lines never run, told what
     * {@code unrun} says), a page of lines at a time (fewer lines the larger they are: a line of 2,048 vectors is
     * megabytes); null when it would be empty. Adds what it wrote to
     * {@code counted} (completed, failed).
     */
    private BatchFile outputFile(Connection connection, BatchStep step, boolean ok, Unrun unrun, int[] counted)
            throws SQLException, IOException {
        String where = ok ? "ok = TRUE" : "(ok = FALSE OR ok IS NULL)";
        if (SqlRows.query(connection, "SELECT 1 FROM batch_line WHERE batch_id = ? AND " + where + " LIMIT 1",
                rs -> true, step.batchId()).isEmpty()) {
            return null;
        }
        String name = step.batchId() + (ok ? "_output.jsonl" : "_error.jsonl");
        return files.add(connection, step.owner(), FileStore.BATCH_OUTPUT, name, out -> {
            try (PreparedStatement page = connection.prepareStatement("SELECT line_no, custom_id, result FROM batch_line "
                    + "WHERE batch_id = ? AND line_no > ? AND " + where + " ORDER BY line_no LIMIT ?")) {
                int after = -1;
                int lines = 1;
                for (boolean more = true; more; ) {
                    SqlRows.bind(page, step.batchId(), after, lines);
                    more = false;
                    long bytes = 0;
                    int read = 0;
                    try (ResultSet rs = page.executeQuery()) {
                        while (rs.next()) {
                            more = true;
                            after = rs.getInt(1);
                            byte[] json = rs.getBytes(3);
                            json = json == null ? unrun.json(rs.getString(2)) : json;
                            out.write(json);
                            out.write('\n');
                            bytes += json.length;
                            read++;
                            counted[ok ? 0 : 1]++;
                        }
                    }
                    lines = (int) Math.max(1, Math.min(PAGE_LINES, PAGE_BYTES * Math.max(read, 1) / Math.max(bytes, 1)));
                }
            }
        });
    }
}
