package dev.bulwark.identity;

import dev.bulwark.account.KeyName;

import java.util.Set;

/** Who a request acts as, once authenticated. Never carries a credential. */
public sealed interface Principal {

    /** For the audit record's {@code identity} field. */
    String describe();

    /** A caller that presented one of an account's keys (or a token exchanged for one): all data actions of that account, no management. */
    record AccountKey(String account, KeyName keyName) implements Principal {
        @Override
        public String describe() {
            return "key:" + account + "/" + keyName.armName();
        }
    }

    /** The bootstrap administrator (BULWARK_ADMIN_TOKEN): Owner at {@code /}. */
    record BootstrapAdmin() implements Principal {
        @Override
        public String describe() {
            return "admin:bootstrap-token";
        }
    }

    /**
     * A person or service signed in at a trusted OIDC issuer.
     *
     * @param issuer   the token's {@code iss}
     * @param objectId the principal id claim ({@code oid}, else {@code sub}); role assignments name it
     * @param groups   the group claim's values; assignments to a group apply to its members
     * @param name     a display name for audit records, if the token had one
     */
    record User(String issuer, String objectId, Set<String> groups, String name) implements Principal {
        public User {
            groups = Set.copyOf(groups);
        }

        @Override
        public String describe() {
            return "oidc:" + issuer + "#" + objectId;
        }
    }

    /** A workload identity registered in Bulwark (the managed-identity analogue). */
    record Workload(String identityId, String name) implements Principal {
        @Override
        public String describe() {
            return "workload:" + name + "#" + identityId;
        }
    }
}
