package dev.embeddinggateway.audit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One admin action as {@code GET /admin/audit} lists it.
 *
 * @param actor   who: an API key's id, or {@code oidc:<subject>} for a person signed in through the identity provider
 * @param action  what: {@code key.created}, {@code key.changed}, {@code key.revoked}, {@code batch.cancelled}
 * @param target  the id of what it was done to
 * @param details what was set (never a secret); an empty object when nothing more is worth saying
 * @param address the client's address (behind a trusted proxy, the one it forwards)
 */
@JsonPropertyOrder({"object", "id", "created_at", "actor", "actor_team", "action", "target", "details", "address"})
public record AuditEvent(String id, @JsonIgnore long createdAtMillis, String actor,
                         @JsonProperty("actor_team") String actorTeam, String action, String target, JsonNode details,
                         String address) {
    @JsonProperty
    public String object() {
        return "audit_event";
    }

    /** Unix seconds, as OpenAI's objects give times. */
    @JsonProperty("created_at")
    public long createdAt() {
        return createdAtMillis / 1000;
    }
}
