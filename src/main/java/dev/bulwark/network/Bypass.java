package dev.bulwark.network;

/**
 * {@code networkAcls.bypass}. In Azure, {@code AzureServices} lets trusted Azure services through
 * the firewall. Bulwark has no such services, so the value is accepted and returned for ARM
 * compatibility (templates and the CLI send it) but has no effect on any decision.
 */
public enum Bypass {
    None,
    AzureServices;

    static Bypass parse(String text) {
        for (Bypass b : values()) {
            if (b.name().equals(text)) {
                return b;
            }
        }
        throw new InvalidNetworkRuleException("InvalidNetworkAcls",
                "networkAcls.bypass '" + text + "' must be 'None' or 'AzureServices'");
    }
}
