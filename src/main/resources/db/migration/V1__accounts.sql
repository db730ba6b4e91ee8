CREATE TABLE accounts (
    name        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    location    TEXT NOT NULL,
    sku         TEXT NOT NULL,
    tags_json   TEXT NOT NULL,
    props_json  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- A key exists only as a keyed digest (lookup) and a ciphertext (listKeys). Never plaintext.
CREATE TABLE account_keys (
    account     TEXT NOT NULL REFERENCES accounts(name) ON DELETE CASCADE,
    key_name    TEXT NOT NULL,
    digest      BLOB NOT NULL UNIQUE,
    ciphertext  BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (account, key_name)
);

CREATE TABLE settings_secrets (
    name        TEXT PRIMARY KEY,
    digest      BLOB NOT NULL,
    updated_at  TEXT NOT NULL
);
