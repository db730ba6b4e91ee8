package dev.bulwark.fetch;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One resolution per hop; every answer must be permitted; the first is pinned. */
class AddressPinnerTest {
    private static final FetchTarget IMAGES = FetchTarget.of("https", "images.test", "/x.png");

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pinsTheFirstAnswerAndResolvesOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // A rebinding resolver: public on the first question, loopback on every later one.
        Resolver rebinding = host -> calls.incrementAndGet() == 1 ? List.of(ip("8.8.8.8"), ip("8.8.4.4")) : List.of(ip("127.0.0.1"));

        InetAddress pinned = new AddressPinner(rebinding, FetchPolicy.defaults()).pin(IMAGES);

        assertThat(pinned).isEqualTo(ip("8.8.8.8"));
        assertThat(calls).hasValue(1);
    }

    @Test
    void mixedAnswersAreRefusedNotTrimmed() {
        Resolver mixed = host -> List.of(ip("8.8.8.8"), ip("10.0.0.1"));
        assertThatThrownBy(() -> new AddressPinner(mixed, FetchPolicy.defaults()).pin(IMAGES))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage("images.test resolves to an address that may not be fetched");
    }

    @Test
    void reasonNeverEchoesTheResolvedAddress() {
        Resolver internal = host -> List.of(ip("10.0.0.1"));
        assertThatThrownBy(() -> new AddressPinner(internal, FetchPolicy.defaults()).pin(IMAGES))
                .isInstanceOf(FetchRefusedException.class)
                .message().doesNotContain("10.0.0.1");
    }

    @Test
    void noAnswerOrAFailingResolverIsARefusal() {
        assertThatThrownBy(() -> new AddressPinner(host -> List.of(), FetchPolicy.defaults()).pin(IMAGES))
                .isInstanceOf(FetchRefusedException.class).hasMessage("images.test could not be resolved");
        Resolver broken = host -> {
            throw new UnknownHostException(host);
        };
        assertThatThrownBy(() -> new AddressPinner(broken, FetchPolicy.defaults()).pin(IMAGES))
                .isInstanceOf(FetchRefusedException.class);
    }

    @Test
    void literalAddressesAreCheckedWithoutTheResolver() throws Exception {
        Resolver never = host -> {
            throw new AssertionError("a literal must not be resolved");
        };
        AddressPinner pinner = new AddressPinner(never, FetchPolicy.defaults());
        assertThat(pinner.pin(FetchTarget.of("http", "8.8.8.8", "/"))).isEqualTo(ip("8.8.8.8"));
        assertThatThrownBy(() -> pinner.pin(FetchTarget.of("http", "169.254.169.254", "/")))
                .isInstanceOf(FetchRefusedException.class);
        assertThatThrownBy(() -> pinner.pin(FetchTarget.of("http", "[::ffff:127.0.0.1]", "/")))
                .isInstanceOf(FetchRefusedException.class);
        assertThatThrownBy(() -> pinner.pin(FetchTarget.of("http", "[fd00:ec2::254]", "/")))
                .isInstanceOf(FetchRefusedException.class);
    }

    @Test
    void allowListLetsTheOperatorReachAnInternalStore() throws Exception {
        Resolver store = host -> List.of(ip("10.20.0.5"));
        assertThat(new AddressPinner(store, FetchPolicy.allowing("10.20.0.0/16")).pin(IMAGES)).isEqualTo(ip("10.20.0.5"));
    }
}
