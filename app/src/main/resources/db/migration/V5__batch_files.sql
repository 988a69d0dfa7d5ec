-- Files uploaded for batch jobs (OpenAI's Files API, purpose "batch"): the file's facts, and its content in chunks
-- of at most 1 MiB, so that neither an upload nor a download ever holds a whole file in memory, in H2 and in
-- PostgreSQL alike, and every replica reads what any replica wrote.
CREATE TABLE batch_file (
    id          VARCHAR(64)     NOT NULL PRIMARY KEY,
    owner_key   VARCHAR(128)    NOT NULL,
    purpose     VARCHAR(32)     NOT NULL,
    filename    VARCHAR(512)    NOT NULL,
    bytes       BIGINT          NOT NULL,
    created_at  BIGINT          NOT NULL
);
CREATE INDEX batch_file_owner ON batch_file (owner_key, created_at);

CREATE TABLE batch_file_chunk (
    file_id     VARCHAR(64)     NOT NULL,
    seq         INTEGER         NOT NULL,
    data        BYTEA           NOT NULL,
    PRIMARY KEY (file_id, seq)
);
