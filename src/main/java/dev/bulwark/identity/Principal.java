package dev.bulwark.identity;

import dev.bulwark.account.KeyName;

/** Who a request acts as, once authenticated. Never carries a credential. */
public sealed interface Principal {

    /** For the audit record's {@code identity} field. */
    String describe();

    /** A caller that presented one of an account's keys. */
    record AccountKey(String account, KeyName keyName) implements Principal {
        @Override
        public String describe() {
            return "key:" + account + "/" + keyName.armName();
        }
    }

    /** The bootstrap administrator of the management plane (BULWARK_ADMIN_TOKEN). */
    record BootstrapAdmin() implements Principal {
        @Override
        public String describe() {
            return "admin:bootstrap-token";
        }
    }
}
