package dev.bulwark.identity.workload;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ManagedIdentityApplication;
import com.microsoft.aad.msal4j.ManagedIdentityId;
import com.microsoft.aad.msal4j.ManagedIdentityParameters;

/**
 * Run in a child JVM by {@link AzureIdentityCompatibilityTest}, with {@code IDENTITY_ENDPOINT} and
 * {@code IDENTITY_HEADER} in its real environment (msal4j reads only the process environment). Asks an
 * unchanged client library for a token for {@code https://cognitiveservices.azure.com/.default} and
 * prints one line: {@code OK <token> <expiresAt epoch seconds>} or {@code ERR <exception chain>}.
 *
 * <p>Arguments: {@code msal|managed|default} [user-assigned client id]. {@code msal} is msal4j's
 * {@code ManagedIdentityApplication}, the code that speaks the protocol for azure-identity;
 * {@code managed} and {@code default} are azure-identity's {@code ManagedIdentityCredential} and
 * {@code DefaultAzureCredential}.
 */
public final class AzureIdentityProbe {
    static final String SCOPE = "https://cognitiveservices.azure.com/.default";

    private AzureIdentityProbe() {
    }

    public static void main(String[] args) {
        String clientId = args.length > 1 ? args[1] : null;
        try {
            if (args[0].equals("msal")) {
                ManagedIdentityId id = clientId == null ? ManagedIdentityId.systemAssigned() : ManagedIdentityId.userAssignedClientId(clientId);
                IAuthenticationResult r = ManagedIdentityApplication.builder(id).build()
                        .acquireTokenForManagedIdentity(ManagedIdentityParameters.builder("https://cognitiveservices.azure.com").build()).get();
                System.out.println("OK " + r.accessToken() + " " + r.expiresOnDate().toInstant().getEpochSecond());
            } else {
                TokenCredential credential;
                if (args[0].equals("default")) {
                    DefaultAzureCredentialBuilder b = new DefaultAzureCredentialBuilder();
                    if (clientId != null) {
                        b.managedIdentityClientId(clientId);
                    }
                    credential = b.build();
                } else {
                    ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder();
                    if (clientId != null) {
                        b.clientId(clientId);
                    }
                    credential = b.build();
                }
                AccessToken t = credential.getTokenSync(new TokenRequestContext().addScopes(SCOPE));
                System.out.println("OK " + t.getToken() + " " + t.getExpiresAt().toEpochSecond());
            }
        } catch (Exception | LinkageError e) {
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" | ");
            }
            System.out.println("ERR " + chain.toString().replace('\n', ' '));
        }
        System.out.flush();
        System.exit(0);
    }
}
