package dev.embeddinggateway.batch;

import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;
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
    static final String BATCH_OUTPUT = "batch_output";
    static final int CHUNK = 1 << 20;
    /** SQLSTATE of a duplicate key, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;

    public FileStore(Database database) {
        this.database = database;
    }

    /**
     * Stores an upload of {@code owner}'s whole or not at all, unless it would take the bytes of the files the owner
     * keeps (uploads, batch output and error files) over {@code quota} (0: no quota): then nothing is kept and the
     * answer is empty. Refused at once when the files already kept leave no room; else the content is written first
     * and the file recorded after, under a lock on the owner that every replica takes, so that of concurrent uploads
     * only those the quota holds are kept, and an upload holds the lock for a moment, not for its whole content.
     */
    Optional<BatchFile> upload(String owner, String filename, long size, InputStream content, long quota)
            throws SQLException, IOException {
        if (quota > 0 && storedBytes(owner) + size > quota) {
            return Optional.empty();
        }
        if (quota > 0) {
            createOwnerRow(owner);
        }
        String id = newId();
        Optional<BatchFile> kept = Optional.empty();
        try {
            long written = database.transaction(connection -> writeChunks(connection, id, content::transferTo));
            kept = database.transaction(connection -> {
                if (quota > 0) {
                    lockOwner(connection, owner);
                    if (storedBytes(connection, owner) + written > quota) {
                        return Optional.empty();
                    }
                }
                return Optional.of(record(connection, id, owner, "batch", filename, written));
            });
            return kept;
        } finally {
            if (kept.isEmpty()) {
                database.update("DELETE FROM batch_file_chunk WHERE file_id = ?", id);
            }
        }
    }

    /** The bytes of every file {@code owner} keeps. */
    long storedBytes(String owner) throws SQLException {
        try (Connection connection = database.connection()) {
            return storedBytes(connection, owner);
        }
    }

    private static long storedBytes(Connection connection, String owner) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT COALESCE(SUM(bytes), 0) FROM batch_file WHERE owner_key = ?")) {
            SqlRows.bind(query, owner);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The row {@link #lockOwner} locks, made once per owner; two replicas making it at once is no failure. */
    private void createOwnerRow(String owner) throws SQLException {
        try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(
                "SELECT owner_key FROM file_owner WHERE owner_key = ?")) {
            SqlRows.bind(query, owner);
            try (ResultSet rs = query.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try {
            database.update("INSERT INTO file_owner (owner_key) VALUES (?)", owner);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** Until {@code connection}'s transaction ends, the other uploads of {@code owner} wait here, on any replica. */
    private static void lockOwner(Connection connection, String owner) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT owner_key FROM file_owner WHERE owner_key = ? FOR UPDATE")) {
            SqlRows.bind(lock, owner);
            lock.executeQuery().close();
        }
    }

    /** What writes a file's content, all of it, to the stream it is given. */
    interface Content {
        void writeTo(OutputStream out) throws IOException, SQLException;
    }

    /** Stores a file on {@code connection}, in its transaction: the caller commits it with whatever else it does. */
    BatchFile add(Connection connection, String owner, String purpose, String filename, Content content)
            throws SQLException, IOException {
        String id = newId();
        return record(connection, id, owner, purpose, filename, writeChunks(connection, id, content));
    }

    private static String newId() {
        return "file-" + HexFormat.of().formatHex(bytes(12));
    }

    /** @return the bytes written */
    private static long writeChunks(Connection connection, String id, Content content) throws SQLException, IOException {
        try (PreparedStatement chunk = connection.prepareStatement(
                "INSERT INTO batch_file_chunk (file_id, seq, data) VALUES (?, ?, ?)");
             ChunkedOutput out = new ChunkedOutput(id, chunk)) {
            content.writeTo(out);
            out.close();
            return out.size;
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException failed) {
                throw failed;
            }
            throw e;
        }
    }

    /** The file's row, which makes its chunks a file. */
    private static BatchFile record(Connection connection, String id, String owner, String purpose, String filename,
                                    long size) throws SQLException {
        BatchFile file = new BatchFile(id, size, Instant.now().getEpochSecond(), filename, purpose);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batch_file (id, owner_key, purpose, "
                + "filename, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            SqlRows.bind(insert, file.id(), owner, purpose, filename, size, file.createdAt());
            insert.executeUpdate();
        }
        return file;
    }

    /** Bytes in, chunks of {@link #CHUNK} out: only a full chunk or the last is written, none for no bytes. */
    private static final class ChunkedOutput extends OutputStream {
        private final String id;
        private final PreparedStatement insert;
        private final byte[] buffer = new byte[CHUNK];
        private int filled;
        private int seq;
        private long size;
        private boolean closed;

        ChunkedOutput(String id, PreparedStatement insert) {
            this.id = id;
            this.insert = insert;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, CHUNK - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == CHUNK) {
                    writeChunk();
                }
            }
        }

        private void writeChunk() throws IOException {
            try {
                SqlRows.bind(insert, id, seq++, filled == CHUNK ? buffer : Arrays.copyOf(buffer, filled));
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IOException("the file store failed writing " + id, e);
            }
            size += filled;
            filled = 0;
        }

        @Override
        public void close() throws IOException {
            if (!closed && filled > 0) {
                writeChunk();
            }
            closed = true;
        }
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
            SqlRows.bind(query, SqlRows.withOwner(owner, id));
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(file(rs)) : Optional.empty();
            }
        }
    }

    /** Whose file it is, when it exists. */
    Optional<String> owner(String id) throws SQLException {
        try (Connection connection = database.connection()) {
            return SqlRows.query(connection, "SELECT owner_key FROM batch_file WHERE id = ?", rs -> rs.getString(1), id)
                    .stream().findFirst();
        }
    }

    /** Newest first, those after {@code after} (the last of the previous page, when it exists), at most {@code limit}. */
    List<BatchFile> list(String owner, Optional<BatchFile> after, int limit) throws SQLException {
        try (Connection connection = database.connection()) {
            return SqlRows.newestFirst(connection, "SELECT id, bytes, created_at, filename, purpose FROM batch_file", owner,
                    after.map(f -> new SqlRows.Cursor(f.createdAt(), f.id())), limit, FileStore::file);
        }
    }

    /** Writes the file's content to {@code out}. */
    void copy(String id, OutputStream out) throws SQLException, IOException {
        try (InputStream in = open(id)) {
            in.transferTo(out);
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException failed) {
                throw failed;
            }
            throw e;
        }
    }

    /**
     * The file's content as a stream that reads a chunk at a time, one query each, since a driver may hold a whole
     * result set in memory (PostgreSQL's does unless told otherwise). Empty for a file that does not exist.
     */
    InputStream open(String id) {
        return new InputStream() {
            private byte[] chunk = new byte[0];
            private int pos;
            private int seq;
            private boolean end;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pos == chunk.length) {
                    if (end || !next()) {
                        end = true;
                        return -1;
                    }
                }
                int n = Math.min(len, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off, n);
                pos += n;
                return n;
            }

            private boolean next() throws IOException {
                try (Connection connection = database.connection(); PreparedStatement query = connection.prepareStatement(
                        "SELECT data FROM batch_file_chunk WHERE file_id = ? AND seq = ?")) {
                    SqlRows.bind(query, id, seq);
                    try (ResultSet rs = query.executeQuery()) {
                        if (!rs.next()) {
                            return false;
                        }
                        chunk = rs.getBytes(1);
                        pos = 0;
                        seq++;
                        return true;
                    }
                } catch (SQLException e) {
                    throw new IOException("the file store failed while reading " + id, e);
                }
            }
        };
    }

    /** @return whether there was such a file of {@code owner}'s (null: any owner) */
    boolean delete(String id, String owner) throws SQLException {
        return database.transaction(connection -> {
            try (PreparedStatement file = connection.prepareStatement("DELETE FROM batch_file WHERE id = ?"
                    + (owner == null ? "" : " AND owner_key = ?"));
                 PreparedStatement chunks = connection.prepareStatement("DELETE FROM batch_file_chunk WHERE file_id = ?")) {
                SqlRows.bind(file, SqlRows.withOwner(owner, id));
                if (file.executeUpdate() == 0) {
                    connection.rollback();
                    return false;
                }
                SqlRows.bind(chunks, id);
                chunks.executeUpdate();
                return true;
            }
        });
    }

    private static BatchFile file(ResultSet rs) throws SQLException {
        return new BatchFile(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5));
    }
}
