package dev.bulwark.account;

import dev.bulwark.crypto.CustomerKey;

/**
 * Whether a customer-managed key an account names can be used: where it lives (the built-in vault
 * or the HSM), that it exists, and that Bulwark may wrap and unwrap with it now. Blocking (vault
 * database, HSM): call from worker threads.
 */
public interface CustomerKeyAccess {

    /**
     * Checks a new {@code properties.encryption} before it is stored.
     *
     * @throws AccountValidationException naming what is wrong (400): an unknown vault URL, no HSM,
     *                                    a key that does not exist or cannot be used
     */
    void check(AccountEncryption encryption);

    /**
     * Whether the account's data can be read and written now: the key's version for new writes
     * resolves, and so does every version in {@code inUse} (what the account's stored envelopes
     * name). Never throws: a failure is "no".
     */
    boolean usable(CustomerKey key, java.util.Collection<dev.bulwark.crypto.KeyReference> inUse);

    /** Forgets cached data keys unwrapped with this key (revocation must bite at once). */
    void forget(CustomerKey key);

    /** For a Bulwark with neither a vault nor an HSM: every customer key is refused. */
    CustomerKeyAccess NONE = new CustomerKeyAccess() {
        @Override
        public void check(AccountEncryption encryption) {
            if (encryption.customerManaged()) {
                throw new AccountValidationException("InvalidEncryption",
                        "this Bulwark has no key store for customer-managed keys");
            }
        }

        @Override
        public boolean usable(CustomerKey key, java.util.Collection<dev.bulwark.crypto.KeyReference> inUse) {
            return false;
        }

        @Override
        public void forget(CustomerKey key) {
        }
    };
}
