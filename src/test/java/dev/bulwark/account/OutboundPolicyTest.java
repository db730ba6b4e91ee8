package dev.bulwark.account;

import dev.bulwark.dlp.DlpPolicy;
import dev.bulwark.network.PublicNetworkAccess;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How an account's outbound settings compile into the snapshot's {@link DlpPolicy}. */
class OutboundPolicyTest {
    private static AccountProperties props(boolean restrict, List<String> list) {
        return new AccountProperties(false, null, PublicNetworkAccess.Enabled, restrict, list);
    }

    @Test
    void flagOffIsUnrestrictedWhateverTheList() {
        assertThat(AccountSnapshotLoader.outbound(AccountProperties.DEFAULTS).restrictOutboundNetworkAccess()).isFalse();
        assertThat(AccountSnapshotLoader.outbound(props(false, List.of("a.example"))).restrictOutboundNetworkAccess()).isFalse();
    }

    @Test
    void flagOnCompilesTheList() {
        DlpPolicy p = AccountSnapshotLoader.outbound(props(true, List.of("Images.Example.COM.", "203.0.113.7")));
        assertThat(p.restrictOutboundNetworkAccess()).isTrue();
        assertThat(p.allowHttp()).isFalse();
        assertThat(p.allowed().size()).isEqualTo(2);
    }

    @Test
    void flagOnWithoutAListOrWithAnInvalidOneRefusesEverything() {
        DlpPolicy none = AccountSnapshotLoader.outbound(props(true, null));
        assertThat(none.restrictOutboundNetworkAccess()).isTrue();
        assertThat(none.allowed().size()).isZero();
        DlpPolicy broken = AccountSnapshotLoader.outbound(props(true, List.of("https://a.example/")));
        assertThat(broken.restrictOutboundNetworkAccess()).isTrue();
        assertThat(broken.allowed().size()).isZero();
    }

    @Test
    void oldConstructorsMeanUnrestricted() {
        AccountProperties p = new AccountProperties(true, null, PublicNetworkAccess.Disabled);
        assertThat(p.restrictOutboundNetworkAccess()).isFalse();
        assertThat(p.allowedFqdnList()).isNull();
    }
}
