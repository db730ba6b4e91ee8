package dev.bulwark.audit;

/** What walking the chain found. */
public sealed interface VerifyResult {

    /**
     * Every record from 1 to {@code records} is present, in order and unaltered. {@code headHash} is
     * the hash of the last record (the genesis hash when empty); an operator who records it elsewhere
     * can later prove that nothing was cut off the end, which the chain alone cannot show.
     */
    record Intact(long records, String headHash) implements VerifyResult {
    }

    /** The first point where the chain does not hold; {@code reason} says what was found there. */
    record Broken(long atSequence, String reason) implements VerifyResult {
    }
}
