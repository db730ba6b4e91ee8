-- Issue 6: the built-in vault. One row per secret or key name (its soft-delete state) and one per
-- version. A version's value (a secret's value, a key's private material) is stored only as an
-- ObjectCipher envelope in `sealed`; a key's public part (X.509 SubjectPublicKeyInfo, not secret)
-- is kept in clear so reading a key needs no decryption. Times are Unix seconds, as Key Vault's.
CREATE TABLE vault_items (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    kind               TEXT NOT NULL CHECK (kind IN ('secret', 'key')),
    name               TEXT NOT NULL COLLATE NOCASE,
    deleted_at         INTEGER,
    scheduled_purge_at INTEGER,
    UNIQUE (kind, name)
);

CREATE TABLE vault_versions (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id      INTEGER NOT NULL REFERENCES vault_items (id),
    version      TEXT NOT NULL,
    sealed       BLOB NOT NULL,
    content_type TEXT,
    key_type     TEXT,
    key_size     INTEGER,
    public_key   BLOB,
    enabled      INTEGER NOT NULL,
    not_before   INTEGER,
    expires      INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    tags         TEXT NOT NULL,
    UNIQUE (item_id, version)
);

CREATE INDEX vault_items_purge ON vault_items (scheduled_purge_at) WHERE scheduled_purge_at IS NOT NULL;
