package dev.bulwark.server;

import com.azure.ai.textanalytics.TextAnalyticsClient;
import com.azure.ai.textanalytics.TextAnalyticsClientBuilder;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;

/**
 * The seed flow as an unchanged application, run in a child JVM by {@link VaultSeedFlowEndToEndTest}
 * (msal4j reads IDENTITY_ENDPOINT and IDENTITY_HEADER from the real process environment):
 * DefaultAzureCredential gets a workload token, SecretClient reads the account key from the vault,
 * TextAnalyticsClient calls the Language API with it. Prints {@code OK <secret name> <language>} or
 * {@code ERR <chain>}; never the key.
 *
 * <p>Arguments: vault URL, Language endpoint, secret name, and {@code unchanged} to build the
 * SecretClient exactly as for Azure (no {@code disableChallengeResourceVerification()}).
 */
public final class VaultSeedProbe {
    private VaultSeedProbe() {
    }

    public static void main(String[] args) {
        try {
            SecretClientBuilder builder = new SecretClientBuilder()
                    .vaultUrl(args[0])
                    .credential(new DefaultAzureCredentialBuilder().build());
            if (!(args.length > 3 && args[3].equals("unchanged"))) {
                // The vault is reached as localhost, not under its challenge resource's host: see docs/vault.md.
                builder.disableChallengeResourceVerification();
            }
            SecretClient secrets = builder.buildClient();
            KeyVaultSecret secret = secrets.getSecret(args[2]);
            TextAnalyticsClient language = new TextAnalyticsClientBuilder()
                    .endpoint(args[1])
                    .credential(new AzureKeyCredential(secret.getValue()))
                    .buildClient();
            String lang = language.detectLanguage("Dit is een heel gewone Nederlandse zin over het weer van vandaag.").getIso6391Name();
            System.out.println("OK " + secret.getName() + " " + lang);
        } catch (Exception | LinkageError e) {
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" | ");
            }
            System.out.println("ERR " + chain.toString().replace('\n', ' '));
        }
        System.exit(0);
    }
}
