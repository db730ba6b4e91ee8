-- Workload identities (the managed-identity analogue). The id is the OAuth client_id.
-- public_jwk holds only a public JWK (EC P-256 or RSA >= 2048), never private parts.
CREATE TABLE workload_identities (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    public_jwk  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- A client secret exists only as a keyed digest (HMAC-SHA256 under a key derived from the master
-- key). Two slots, as in Tink's primary + old keys: CURRENT, and PREVIOUS during a rotation's
-- overlap (expires_at). Never plaintext, never a ciphertext: a lost secret is regenerated, not shown again.
CREATE TABLE workload_secrets (
    identity_id TEXT NOT NULL REFERENCES workload_identities(id) ON DELETE CASCADE,
    slot        TEXT NOT NULL CHECK (slot IN ('CURRENT', 'PREVIOUS')),
    digest      BLOB NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT,
    PRIMARY KEY (identity_id, slot)
);
