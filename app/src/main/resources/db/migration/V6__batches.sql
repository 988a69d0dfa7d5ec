-- Batch jobs (OpenAI's Batches API): the batch, its request lines, and the chunks of lines that replicas lease.
-- A lease is an owner and a time: a replica that dies stops renewing, and another takes the work over once the
-- lease has run out. Each line's result is kept with the line until the batch is finalized into files.
CREATE TABLE batch (
    id                VARCHAR(64)     NOT NULL PRIMARY KEY,
    owner_key         VARCHAR(128)    NOT NULL,
    input_file_id     VARCHAR(64)     NOT NULL,
    endpoint          VARCHAR(64)     NOT NULL,
    completion_window VARCHAR(16)     NOT NULL,
    metadata          VARCHAR(20000),
    status            VARCHAR(16)     NOT NULL,
    errors            VARCHAR(100000),
    output_file_id    VARCHAR(64),
    error_file_id     VARCHAR(64),
    created_at        BIGINT          NOT NULL,
    in_progress_at    BIGINT,
    expires_at        BIGINT          NOT NULL,
    finalizing_at     BIGINT,
    completed_at      BIGINT,
    failed_at         BIGINT,
    expired_at        BIGINT,
    cancelling_at     BIGINT,
    cancelled_at      BIGINT,
    total             INTEGER         NOT NULL,
    completed         INTEGER         NOT NULL,
    failed            INTEGER         NOT NULL,
    lease_owner       VARCHAR(64),
    lease_until       BIGINT
);
CREATE INDEX batch_owner ON batch (owner_key, created_at);
CREATE INDEX batch_status ON batch (status);

-- One row a request line: its custom_id and body as uploaded, then its result line (output or error file).
CREATE TABLE batch_line (
    batch_id    VARCHAR(64)     NOT NULL,
    line_no     INTEGER         NOT NULL,
    custom_id   VARCHAR(512)    NOT NULL,
    body        BYTEA           NOT NULL,
    result      BYTEA,
    ok          BOOLEAN,
    PRIMARY KEY (batch_id, line_no)
);

-- Lines [seq * chunk size, (seq + 1) * chunk size) of a batch, leased as one piece of work.
CREATE TABLE batch_chunk (
    batch_id    VARCHAR(64)     NOT NULL,
    seq         INTEGER         NOT NULL,
    first_line  INTEGER         NOT NULL,
    last_line   INTEGER         NOT NULL,
    done        BOOLEAN         NOT NULL,
    lease_owner VARCHAR(64),
    lease_until BIGINT,
    PRIMARY KEY (batch_id, seq)
);
CREATE INDEX batch_chunk_open ON batch_chunk (done, lease_until);

-- The ledger tells batch work from interactive work: batch_id is the batch's id, '' for /v1/embeddings. The
-- table is rebuilt because the column joins the key, and a primary key's name differs between H2 and PostgreSQL.
CREATE TABLE usage_minute_v6 (
    bucket           TIMESTAMP       NOT NULL,
    api_key          VARCHAR(128)    NOT NULL,
    team             VARCHAR(128)    NOT NULL,
    provider         VARCHAR(128)    NOT NULL,
    model            VARCHAR(256)    NOT NULL,
    batch_id         VARCHAR(64)     NOT NULL,
    requests         BIGINT          NOT NULL,
    input_tokens     BIGINT          NOT NULL,
    billed_tokens    BIGINT          NOT NULL,
    cached_tokens    BIGINT          NOT NULL,
    cost_usd         NUMERIC(24, 12) NOT NULL,
    saved_usd        NUMERIC(24, 12) NOT NULL,
    estimated_tokens BIGINT          NOT NULL,
    PRIMARY KEY (bucket, api_key, team, provider, model, batch_id)
);
INSERT INTO usage_minute_v6 (bucket, api_key, team, provider, model, batch_id, requests, input_tokens, billed_tokens,
                             cached_tokens, cost_usd, saved_usd, estimated_tokens)
    SELECT bucket, api_key, team, provider, model, '', requests, input_tokens, billed_tokens, cached_tokens, cost_usd,
           saved_usd, estimated_tokens FROM usage_minute;
DROP TABLE usage_minute;
ALTER TABLE usage_minute_v6 RENAME TO usage_minute;
CREATE INDEX usage_minute_by_team ON usage_minute (team, bucket);
