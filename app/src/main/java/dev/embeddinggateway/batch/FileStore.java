package dev.embeddinggateway.batch;

import dev.embeddinggateway.store.Database;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Batch files in the database every replica shares (the usage ledger's: embedded H2, or PostgreSQL), their content
 * in chunks of {@link #CHUNK} bytes: written from a stream and read into one, one chunk in memory at a time. The
 * database rather than a directory because it is already shared, transactional and backed up, and a shared
 * volume is one more thing to run.
 */
@ApplicationScoped
public class FileStore {
    static final int CHUNK = 1 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;

    public FileStore(Database database) {
        this.database = database;
    }

    /** Stores {@code content} whole or not at all. */
    BatchFile add(String owner, String purpose, String filename, InputStream content) throws SQLException, IOException {
        BatchFile file;
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try {
                String id = "file-" + HexFormat.of().formatHex(bytes(12));
                long size = 0;
                try (PreparedStatement chunk = connection.prepareStatement(
                        "INSERT INTO batch_file_chunk (file_id, seq, data) VALUES (?, ?, ?)")) {
                    byte[] buffer = new byte[CHUNK];
                    // readNBytes fills the buffer unless the stream ends: a short chunk is the last.
                    int n = CHUNK;
                    for (int seq = 0; n == CHUNK && (n = content.readNBytes(buffer, 0, CHUNK)) > 0; seq++) {
                        chunk.setString(1, id);
                        chunk.setInt(2, seq);
                        chunk.setBytes(3, n == CHUNK ? buffer : Arrays.copyOf(buffer, n));
                        chunk.executeUpdate();
                        size += n;
                    }
                }
                file = new BatchFile(id, size, Instant.now().getEpochSecond(), filename, purpose);
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batch_file (id, owner_key, purpose, "
                        + "filename, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, file.id());
                    insert.setString(2, owner);
                    insert.setString(3, purpose);
                    insert.setString(4, filename);
                    insert.setLong(5, size);
                    insert.setLong(6, file.createdAt());
                    insert.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return file;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The file, when {@code owner} may see it (null: any owner, for the admin). */
    Optional<BatchFile> find(String id, String owner) throws SQLException {
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(
                "SELECT id, bytes, created_at, filename, purpose FROM batch_file WHERE id = ?"
                        + (owner == null ? "" : " AND owner_key = ?"))) {
            query.setString(1, id);
            if (owner != null) {
                query.setString(2, owner);
            }
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(file(rs)) : Optional.empty();
            }
        }
    }

    /** Newest first, those after {@code after} (the last of the previous page, when it exists), at most {@code limit}. */
    List<BatchFile> list(String owner, Optional<BatchFile> after, int limit) throws SQLException {
        String sql = "SELECT id, bytes, created_at, filename, purpose FROM batch_file WHERE 1 = 1"
                + (owner == null ? "" : " AND owner_key = ?")
                + (after.isPresent() ? " AND (created_at < ? OR (created_at = ? AND id < ?))" : "")
                + " ORDER BY created_at DESC, id DESC LIMIT ?";
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(sql)) {
            int i = 1;
            if (owner != null) {
                query.setString(i++, owner);
            }
            if (after.isPresent()) {
                query.setLong(i++, after.get().createdAt());
                query.setLong(i++, after.get().createdAt());
                query.setString(i++, after.get().id());
            }
            query.setInt(i, limit);
            List<BatchFile> files = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    files.add(file(rs));
                }
            }
            return files;
        }
    }

    /**
     * Writes the file's content to {@code out}: one query a chunk, since a driver may hold a whole result set in
     * memory (PostgreSQL's does unless told otherwise).
     */
    void copy(String id, OutputStream out) throws SQLException, IOException {
        try (Connection connection = database.connection(); PreparedStatement chunk = connection.prepareStatement(
                "SELECT data FROM batch_file_chunk WHERE file_id = ? AND seq = ?")) {
            for (int seq = 0; ; seq++) {
                chunk.setString(1, id);
                chunk.setInt(2, seq);
                try (ResultSet rs = chunk.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    out.write(rs.getBytes(1));
                }
            }
        }
    }

    /** @return whether there was such a file of {@code owner}'s (null: any owner) */
    boolean delete(String id, String owner) throws SQLException {
        try (Connection connection = database.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement file = connection.prepareStatement("DELETE FROM batch_file WHERE id = ?"
                    + (owner == null ? "" : " AND owner_key = ?"));
                 PreparedStatement chunks = connection.prepareStatement("DELETE FROM batch_file_chunk WHERE file_id = ?")) {
                file.setString(1, id);
                if (owner != null) {
                    file.setString(2, owner);
                }
                if (file.executeUpdate() == 0) {
                    connection.rollback();
                    return false;
                }
                chunks.setString(1, id);
                chunks.executeUpdate();
                connection.commit();
                return true;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static BatchFile file(ResultSet rs) throws SQLException {
        return new BatchFile(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5));
    }
}
