-- Usage of model deployments (dev.bulwark.usage), in hourly buckets: one row per hour and
-- (account, deployment, key, principal), added to by UsageFlusher with INSERT ... ON CONFLICT DO UPDATE.
-- hour is the epoch second (UTC) the bucket starts at, a multiple of 3600. A flush lands in the hour
-- it runs in, so a call made at 10:59:58 can be counted at 11:00.
-- key_id is '' when the call did not use an account key (a token or an identity): SQLite treats
-- NULLs in a primary key as all different, so a NULL would defeat the upsert and duplicate rows.
-- Account and deployment are plain names, not foreign keys: usage outlives a deleted deployment or
-- account (it is what the bill and the investigation need afterwards).
CREATE TABLE usage_hourly (
    hour              INTEGER NOT NULL,
    account           TEXT    NOT NULL,
    deployment        TEXT    NOT NULL,
    key_id            TEXT    NOT NULL,
    principal         TEXT    NOT NULL,
    requests          INTEGER NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    PRIMARY KEY (account, deployment, hour, key_id, principal)
);

-- Queries over every account for a time range.
CREATE INDEX usage_hourly_hour ON usage_hourly(hour);
