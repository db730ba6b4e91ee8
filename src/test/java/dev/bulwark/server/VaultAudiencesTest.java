package dev.bulwark.server;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class VaultAudiencesTest {
    @Test
    void withoutABaseDomainTheChallengeAlwaysNamesAzuresVaultResource() {
        VaultAudiences a = new VaultAudiences(Optional.empty());
        assertThat(a.all()).containsExactly("https://vault.azure.net");
        assertThat(a.resourceFor("kv.vault.example.com:8443")).isEqualTo("https://vault.azure.net");
        assertThat(a.resourceFor(null)).isEqualTo("https://vault.azure.net");
    }

    @Test
    void aHostUnderVaultDotBaseDomainGetsTheOwnResourceAndNothingElseDoes() {
        VaultAudiences a = new VaultAudiences(Optional.of("bulwark.example"));
        assertThat(a.all()).containsExactlyInAnyOrder("https://vault.azure.net", "https://vault.bulwark.example");
        assertThat(a.resourceFor("kv.vault.bulwark.example:8443")).isEqualTo("https://vault.bulwark.example");
        assertThat(a.resourceFor("KV.Vault.Bulwark.Example")).isEqualTo("https://vault.bulwark.example");
        assertThat(a.resourceFor("vault.bulwark.example")).as("the suffix needs a label before it").isEqualTo("https://vault.azure.net");
        assertThat(a.resourceFor("kv.vault.bulwark.example.evil.test")).isEqualTo("https://vault.azure.net");
        assertThat(a.resourceFor("kvvault.bulwark.example")).isEqualTo("https://vault.azure.net");
        assertThat(a.resourceFor("localhost:8443")).isEqualTo("https://vault.azure.net");
    }
}
