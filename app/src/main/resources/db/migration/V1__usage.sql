-- Usage per minute and per (key, team, provider, model): what /v1/usage sums. Standard SQL, for the
-- embedded H2 file and PostgreSQL alike. api_key holds a key's id (its configured name or stored id),
-- never the key; 'anonymous' while the gateway is open.
CREATE TABLE usage_minute (
    bucket        TIMESTAMP      NOT NULL,
    api_key       VARCHAR(128)   NOT NULL,
    team          VARCHAR(128)   NOT NULL,
    provider      VARCHAR(128)   NOT NULL,
    model         VARCHAR(256)   NOT NULL,
    requests      BIGINT         NOT NULL,
    input_tokens  BIGINT         NOT NULL,
    billed_tokens BIGINT         NOT NULL,
    cached_tokens BIGINT         NOT NULL,
    cost_usd      NUMERIC(24, 12) NOT NULL,
    saved_usd     NUMERIC(24, 12) NOT NULL,
    PRIMARY KEY (bucket, api_key, team, provider, model)
);

CREATE INDEX usage_minute_by_team ON usage_minute (team, bucket);
