package dev.bulwark.vault;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;

/** Key Vault's JSON shapes: SecretBundle, SecretItem, KeyBundle, KeyItem, their deleted forms, and errors. */
final class VaultJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private VaultJson() {
    }

    static ObjectNode attributes(VaultVersion v, VaultPolicy policy) {
        ObjectNode a = F.objectNode();
        VaultAttributes at = v.attributes();
        a.put("enabled", at.enabled());
        at.notBefore().ifPresent(t -> a.put("nbf", t.getEpochSecond()));
        at.expires().ifPresent(t -> a.put("exp", t.getEpochSecond()));
        a.put("created", at.created().getEpochSecond());
        a.put("updated", at.updated().getEpochSecond());
        a.put("recoveryLevel", policy.recoveryLevel());
        a.put("recoverableDays", policy.retentionDays());
        return a;
    }

    static ObjectNode tags(Map<String, String> tags) {
        ObjectNode t = F.objectNode();
        new java.util.TreeMap<>(tags).forEach(t::put);
        return t;
    }

    /** SecretBundle; the value only when given (never for deletes, recovers, updates). */
    static ObjectNode secret(String base, VaultVersion v, String value, VaultPolicy policy) {
        ObjectNode o = F.objectNode();
        if (value != null) {
            o.put("value", value);
        }
        o.put("id", base + "/secrets/" + v.name() + "/" + v.version());
        v.contentType().ifPresent(ct -> o.put("contentType", ct));
        o.set("attributes", attributes(v, policy));
        o.set("tags", tags(v.tags()));
        return o;
    }

    /** SecretItem: the id without a version in the list of secrets, with it in the list of versions. */
    static ObjectNode secretItem(String base, VaultVersion v, boolean withVersion, VaultPolicy policy) {
        ObjectNode o = F.objectNode();
        o.put("id", base + "/secrets/" + v.name() + (withVersion ? "/" + v.version() : ""));
        v.contentType().ifPresent(ct -> o.put("contentType", ct));
        o.set("attributes", attributes(v, policy));
        o.set("tags", tags(v.tags()));
        return o;
    }

    static ObjectNode deleted(ObjectNode body, String base, VaultItemKind kind, VaultItems.Deleted d) {
        body.put("recoveryId", base + "/" + kind.deletedCollection() + "/" + d.current().name());
        body.put("deletedDate", d.deleted().deletedDate().getEpochSecond());
        body.put("scheduledPurgeDate", d.deleted().scheduledPurgeDate().getEpochSecond());
        return body;
    }

    /** KeyBundle: the public JSON Web Key (never private material) and attributes. */
    static ObjectNode key(String base, VaultVersion v, VaultPolicy policy) {
        ObjectNode o = F.objectNode();
        ObjectNode jwk = o.putObject("key");
        jwk.put("kid", base + "/keys/" + v.name() + "/" + v.version());
        String kty = v.keyType().orElseThrow();
        jwk.put("kty", kty);
        var ops = jwk.putArray("key_ops");
        (VaultKeys.RSA.equals(kty) ? VaultKeys.RSA_OPS : VaultKeys.OCT_OPS).forEach(ops::add);
        VaultKeys.publicKeyOf(v).ifPresent(pk -> {
            RSAPublicKey rsa = (RSAPublicKey) pk;
            jwk.put("n", base64Url(unsigned(rsa.getModulus())));
            jwk.put("e", base64Url(unsigned(rsa.getPublicExponent())));
        });
        o.set("attributes", attributes(v, policy));
        o.set("tags", tags(v.tags()));
        return o;
    }

    static ObjectNode keyItem(String base, VaultVersion v, boolean withVersion, VaultPolicy policy) {
        ObjectNode o = F.objectNode();
        o.put("kid", base + "/keys/" + v.name() + (withVersion ? "/" + v.version() : ""));
        o.set("attributes", attributes(v, policy));
        o.set("tags", tags(v.tags()));
        return o;
    }

    static ObjectNode error(VaultException e) {
        ObjectNode o = F.objectNode();
        ObjectNode err = o.putObject("error");
        err.put("code", e.code());
        err.put("message", e.getMessage());
        if (e.innerCode() != null) {
            err.putObject("innererror").put("code", e.innerCode());
        }
        return o;
    }

    static String base64Url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] unsigned(BigInteger i) {
        byte[] b = i.toByteArray();
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
