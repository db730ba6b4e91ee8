package dev.bulwark.server;

import com.azure.ai.textanalytics.TextAnalyticsClient;
import com.azure.ai.textanalytics.TextAnalyticsClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;

/**
 * An unchanged application, run in a child JVM by {@link ManagedIdentityLanguageEndToEndTest}: it
 * builds a TextAnalyticsClient with DefaultAzureCredential (which finds IDENTITY_ENDPOINT and
 * IDENTITY_HEADER in its environment) and prints {@code OK <language>} or {@code ERR <chain>}.
 */
public final class DefaultCredentialLanguageProbe {
    private DefaultCredentialLanguageProbe() {
    }

    public static void main(String[] args) {
        try {
            TextAnalyticsClient client = new TextAnalyticsClientBuilder()
                    .endpoint(args[0])
                    .credential(new DefaultAzureCredentialBuilder().build())
                    .buildClient();
            System.out.println("OK " + client.detectLanguage("Dit is een heel gewone Nederlandse zin over het weer van vandaag.").getIso6391Name());
        } catch (Exception | LinkageError e) {
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" | ");
            }
            System.out.println("ERR " + chain);
        }
        System.exit(0);
    }
}
