-- API keys created through the admin API. Only the key's SHA-256 is kept; the key is shown once.
CREATE TABLE api_keys (
    id                  VARCHAR(64)     PRIMARY KEY,
    name                VARCHAR(128)    NOT NULL,
    sha256              CHAR(64)        NOT NULL UNIQUE,
    team                VARCHAR(128)    NOT NULL,
    models              VARCHAR(4000),
    requests_per_minute BIGINT,
    tokens_per_minute   BIGINT,
    monthly_budget_usd  NUMERIC(24, 12),
    created_at          TIMESTAMP       NOT NULL
);

-- Budgets sum a key's cost of the month.
CREATE INDEX usage_minute_by_key ON usage_minute (api_key, bucket);
