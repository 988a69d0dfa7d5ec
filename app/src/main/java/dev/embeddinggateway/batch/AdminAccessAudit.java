package dev.embeddinggateway.batch;

import dev.embeddinggateway.audit.AuditLog;
import dev.embeddinggateway.auth.Caller;
import dev.embeddinggateway.auth.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * The admin reading, deleting or cancelling another key's files and batch jobs, in the audit trail: recorded before
 * it is done, so that no such action goes unrecorded. What keys do with their own is not recorded.
 */
@ApplicationScoped
public class AdminAccessAudit {
    private final CurrentCaller caller;
    private final AuditLog audit;

    public AdminAccessAudit(CurrentCaller caller, AuditLog audit) {
        this.caller = caller;
        this.audit = audit;
    }

    /** Whose a file or batch is, by its id; empty where it does not exist. */
    interface Owners {
        Optional<String> of(String id) throws SQLException;
    }

    /** The admin acting on {@code target}: recorded when it is another key's (one that does not exist is a 404). */
    void onOthers(String action, String target, Owners owners) throws SQLException {
        Caller who = caller.get();
        if (!who.admin()) {
            return;
        }
        Optional<String> owner = owners.of(target);
        if (owner.isPresent() && !owner.get().equals(who.keyId())) {
            audit.record(caller.actor(), action, target, Map.of("owner", owner.get()));
        }
    }

    /** A list the admin sees every key's entries in. */
    void onList(String action, String target) throws SQLException {
        if (caller.get().admin()) {
            audit.record(caller.actor(), action, target, Map.of());
        }
    }
}
