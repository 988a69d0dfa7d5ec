-- Monthly budgets, one count for every replica: what a budgeted key spent in a month (each answered request's
-- cost, added as it is answered) and what its requests in flight hold until then. A hold older than a request can
-- live (a replica that died holding it) no longer counts.
CREATE TABLE budget_spend (
    api_key     VARCHAR(128)    NOT NULL,
    month_start DATE            NOT NULL,
    spent_usd   NUMERIC(24, 12) NOT NULL,
    PRIMARY KEY (api_key, month_start)
);

CREATE TABLE budget_holds (
    id          VARCHAR(64)     PRIMARY KEY,
    api_key     VARCHAR(128)    NOT NULL,
    month_start DATE            NOT NULL,
    amount_usd  NUMERIC(24, 12) NOT NULL,
    created_at  TIMESTAMP       NOT NULL
);

CREATE INDEX budget_holds_by_key ON budget_holds (api_key, month_start, created_at);
