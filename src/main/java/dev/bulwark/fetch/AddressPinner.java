package dev.bulwark.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a hop's host once and chooses the one address the connection will go to. Every answer
 * must be permitted: a name that answers both a public and an internal address is refused rather
 * than trimmed to its good half, because mixed answers are how rebinding attacks hedge their bets.
 * The first answer is then pinned, and nothing resolves the name again for this hop.
 */
final class AddressPinner {
    private final Resolver resolver;
    private final FetchPolicy policy;

    AddressPinner(Resolver resolver, FetchPolicy policy) {
        this.resolver = resolver;
        this.policy = policy;
    }

    /** The address to connect to for {@code target}. Blocks (DNS): call it on a worker. */
    InetAddress pin(FetchTarget target) throws FetchRefusedException {
        List<InetAddress> answers;
        byte[] literal = target.literalAddress();
        try {
            answers = literal != null ? List.of(InetAddress.getByAddress(literal)) : resolver.resolve(target.host());
        } catch (UnknownHostException | RuntimeException e) {
            answers = List.of();
        }
        if (answers == null || answers.isEmpty()) {
            throw new FetchRefusedException(target.host() + " could not be resolved");
        }
        for (InetAddress a : answers) {
            if (a == null || !policy.permits(a)) {
                // Which address, and whether it was the only one, stays in Bulwark: the reason goes to the client.
                throw new FetchRefusedException(target.host() + " resolves to an address that may not be fetched");
            }
        }
        return answers.get(0);
    }
}
