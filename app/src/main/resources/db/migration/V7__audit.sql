-- The audit trail: every admin action, who did it (an API key's id or an OIDC subject, and its team), from which
-- address, on what, and what changed. Never a secret: a created key's plain value is not in it.
CREATE TABLE audit_event (
    id          VARCHAR(64)     NOT NULL PRIMARY KEY,
    created_at  BIGINT          NOT NULL,
    actor       VARCHAR(256)    NOT NULL,
    actor_team  VARCHAR(128)    NOT NULL,
    action      VARCHAR(64)     NOT NULL,
    target      VARCHAR(256)    NOT NULL,
    details     VARCHAR(4000)   NOT NULL,
    address     VARCHAR(64)     NOT NULL
);
CREATE INDEX audit_event_newest ON audit_event (created_at, id);
