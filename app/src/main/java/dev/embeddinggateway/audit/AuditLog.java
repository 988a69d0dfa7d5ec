package dev.embeddinggateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.embeddinggateway.http.LogText;
import dev.embeddinggateway.store.Database;
import dev.embeddinggateway.store.SqlRows;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit trail of admin actions, in the database every replica shares: a change to a key is recorded in the
 * change's own transaction, so neither is kept without the other.
 */
@ApplicationScoped
public class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAILS = 4000;
    private static final int MAX_ADDRESS = 64;
    private static final String SELECT = "SELECT id, created_at, actor, actor_team, action, target, details, address "
            + "FROM audit_event";
    private final Database database;

    public AuditLog(Database database) {
        this.database = database;
    }

    /** Who acted, as the audit trail names them. */
    public record Actor(String id, String team, String address) {
    }

    /**
     * Records an action.
     *
     * @param details what was set, by field: never a secret
     */
    public void record(Actor actor, String action, String target, Map<String, ?> details) throws SQLException {
        try (Connection connection = database.connection()) {
            record(connection, actor, action, target, details);
        }
    }

    /** Records an action within the caller's transaction on {@code connection}, the one that made the change. */
    public void record(Connection connection, Actor actor, String action, String target, Map<String, ?> details)
            throws SQLException {
        String json = JSON.valueToTree(details).toString();
        if (json.length() > MAX_DETAILS) {
            // A quarter: written again as a JSON string, each quote or backslash takes two.
            json = JSON.createObjectNode().put("truncated", json.substring(0, MAX_DETAILS / 4)).toString();
        }
        try (var insert = connection.prepareStatement(
                "INSERT INTO audit_event (id, created_at, actor, actor_team, action, target, details, address) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            SqlRows.bind(insert, SqlRows.newId("audit_"), System.currentTimeMillis(), actor.id(), actor.team(), action,
                    target, json, address(actor.address()));
            insert.executeUpdate();
        }
        // The trail keeps the values as sent; the log line escapes them, so that none can forge a line.
        LOG.infof("audit: %s by %s (team %s) from %s on %s", action, LogText.escaped(actor.id()),
                LogText.escaped(actor.team()), LogText.escaped(actor.address()), LogText.escaped(target));
    }

    /** No address is longer than its column; a forwarded header might be, and must not cost the admin action. */
    private static String address(String address) {
        return address.length() <= MAX_ADDRESS ? address : address.substring(0, MAX_ADDRESS);
    }

    public Optional<AuditEvent> find(String id) throws SQLException {
        try (Connection connection = database.connection()) {
            return SqlRows.query(connection, SELECT + " WHERE id = ?", AuditLog::event, id).stream().findFirst();
        }
    }

    /** Newest first, those after {@code after}, at most {@code limit}. */
    public List<AuditEvent> list(Optional<AuditEvent> after, int limit) throws SQLException {
        try (Connection connection = database.connection()) {
            return SqlRows.newestFirst(connection, SELECT, null,
                    after.map(e -> new SqlRows.Cursor(e.createdAtMillis(), e.id())), limit, AuditLog::event);
        }
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        return new AuditEvent(rs.getString("id"), rs.getLong("created_at"), rs.getString("actor"),
                rs.getString("actor_team"), rs.getString("action"), rs.getString("target"),
                details(rs.getString("details")), rs.getString("address"));
    }

    /** A row's details, checked: what is not a JSON object there is shown as an empty one. */
    private static JsonNode details(String stored) {
        try {
            JsonNode parsed = stored == null ? null : JSON.readTree(stored);
            return parsed != null && parsed.isObject() ? parsed : JSON.createObjectNode();
        } catch (JsonProcessingException unreadable) {
            return JSON.createObjectNode();
        }
    }
}
