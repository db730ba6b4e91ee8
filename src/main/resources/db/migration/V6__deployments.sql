-- Model deployments: an account's named route to an OpenAI-compatible upstream (vLLM, Ollama, ...).
-- credential_ref is a secret REFERENCE (env:NAME or file:/path), never the secret: the value is
-- resolved when the data-plane snapshot is built and lives only in memory.
-- Deleting the account deletes its deployments (foreign keys are on for every connection).
CREATE TABLE deployments (
    account             TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    sku_name            TEXT NOT NULL,
    sku_capacity        INTEGER,
    model_format        TEXT NOT NULL,
    model_name          TEXT NOT NULL,
    model_version       TEXT,
    upstream_url        TEXT NOT NULL,
    credential_ref      TEXT,
    connect_timeout_ms  INTEGER NOT NULL CHECK (connect_timeout_ms BETWEEN 1000 AND 600000),
    timeout_ms          INTEGER NOT NULL CHECK (timeout_ms BETWEEN 1000 AND 600000),
    requests_per_minute INTEGER NOT NULL CHECK (requests_per_minute >= 0),
    tokens_per_minute   INTEGER NOT NULL CHECK (tokens_per_minute >= 0),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (account, name)
);
