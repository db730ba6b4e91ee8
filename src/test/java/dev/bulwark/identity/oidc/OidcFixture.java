package dev.bulwark.identity.oidc;

import dev.bulwark.testing.MutableClock;
import java.util.function.UnaryOperator;

/** A test issuer, the keys fetched from it and a verifier, on a hand-moved clock. */
final class OidcFixture implements AutoCloseable {
    final MutableClock clock = MutableClock.atNow();
    final TestIssuer idp = new TestIssuer(clock);
    final TrustedIssuers trusted;
    final OidcKeys keys;
    final OidcTokenVerifier verifier;

    OidcFixture() {
        this(b -> b);
    }

    OidcFixture(UnaryOperator<TrustedIssuer.Builder> configure) {
        trusted = TrustedIssuers.of(configure.apply(idp.trusted()).build());
        keys = new OidcKeys(trusted, clock);
        keys.prefetch().join();
        verifier = new OidcTokenVerifier(trusted, keys, clock);
    }

    OidcVerdict verify(String token) {
        return verifier.verify(token);
    }

    @Override
    public void close() {
        keys.close();
        idp.close();
    }
}
