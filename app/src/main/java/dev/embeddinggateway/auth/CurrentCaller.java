package dev.embeddinggateway.auth;

import dev.embeddinggateway.audit.AuditLog;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the request being served, and its address, set by {@link ApiKeyFilter}. */
@RequestScoped
public class CurrentCaller {
    private Caller caller = Caller.ANONYMOUS;
    private String address = "unknown";

    public Caller get() {
        return caller;
    }

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The bean of this request itself, not its proxy. */
    CurrentCaller instance() {
        return this;
    }

    void from(String address) {
        this.address = address;
    }

    /** The caller as the audit trail names it. */
    public AuditLog.Actor actor() {
        return new AuditLog.Actor(caller.keyId(), caller.team(), address);
    }
}
