-- Bulwark's own token-signing keys (dev.bulwark.identity.token), ES256 on P-256, one keyset in the
-- Tink model: exactly one primary signs new tokens, verify-only keys are kept until no token they
-- signed can still be unexpired (retired_at + token lifetime + clock leeway), then deleted.
--
-- kid is the RFC 7638 JWK thumbprint (SHA-256, base64url) of public_jwk, checked on every load.
-- sealed is SecretBox (purpose bulwark/token-signing-key/v1) over the PKCS#8 private key for the
-- primary, and over nothing for a verify-only key (its private key is erased when it is retired),
-- with associated data naming the status, the kid and the public JWK. So no private key is ever at
-- rest in clear, and a row written without the master key (say, an attacker's own public key) does
-- not load.
-- Times are ISO-8601 instants (UTC).
CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status IN ('primary', 'verify-only')),
    created_at  TEXT NOT NULL,
    retired_at  TEXT,
    public_jwk  TEXT NOT NULL,
    sealed      BLOB NOT NULL,
    CHECK ((status = 'primary') = (retired_at IS NULL))
);

CREATE UNIQUE INDEX signing_keys_one_primary ON signing_keys(status) WHERE status = 'primary';
