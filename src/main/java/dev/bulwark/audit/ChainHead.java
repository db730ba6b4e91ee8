package dev.bulwark.audit;

/** The last record of the chain: the next record gets {@code sequence + 1} and previousHash {@code hash}. */
record ChainHead(long sequence, String hash) {

    static final ChainHead GENESIS = new ChainHead(0, AuditCanonical.GENESIS_HASH);
}
