package dev.bulwark.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A set of networks compiled for the hot path: per family, sorted disjoint ranges searched by
 * binary search, so a lookup in 200 rules is about eight comparisons of longs and allocates nothing.
 *
 * <p>Why ranges rather than a trie: rules are few (Azure caps them at 100 per account, plus the
 * named networks) and fixed between snapshots; merged ranges are a handful of primitive arrays,
 * cache-friendly, and trivially correct to build. Overlapping and adjacent networks merge into one
 * range, so the arrays are never longer than the rule list.
 *
 * <p>IPv4 ranges are longs holding unsigned 32-bit values. IPv6 ranges are (high, low) pairs of
 * longs compared unsigned. An IPv4-mapped IPv6 address is looked up as IPv4 (see
 * {@link IpAddress#isIpv4Mapped}).
 */
public final class IpRuleSet {
    public static final IpRuleSet EMPTY = of(List.of());

    private final long[] v4First;
    private final long[] v4Last;
    private final long[] v6FirstHi;
    private final long[] v6FirstLo;
    private final long[] v6LastHi;
    private final long[] v6LastLo;

    private IpRuleSet(long[] v4First, long[] v4Last, long[] v6FirstHi, long[] v6FirstLo, long[] v6LastHi, long[] v6LastLo) {
        this.v4First = v4First;
        this.v4Last = v4Last;
        this.v6FirstHi = v6FirstHi;
        this.v6FirstLo = v6FirstLo;
        this.v6LastHi = v6LastHi;
        this.v6LastLo = v6LastLo;
    }

    public static IpRuleSet of(Collection<Cidr> networks) {
        List<Cidr> v4 = new ArrayList<>();
        List<Cidr> v6 = new ArrayList<>();
        for (Cidr c : networks) {
            (c.ipv4() ? v4 : v6).add(c);
        }
        // Sort by first address (unsigned), then merge every range that overlaps or touches the
        // previous one. IPv4 values are non-negative longs, so signed comparison is right for them.
        v4.sort(Comparator.comparingLong(Cidr::firstLo));
        long[] f4 = new long[v4.size()];
        long[] l4 = new long[v4.size()];
        int n4 = 0;
        for (Cidr c : v4) {
            if (n4 > 0 && c.firstLo() <= l4[n4 - 1] + 1) {
                l4[n4 - 1] = Math.max(l4[n4 - 1], c.lastLo());
            } else {
                f4[n4] = c.firstLo();
                l4[n4] = c.lastLo();
                n4++;
            }
        }
        v6.sort((a, b) -> compare(a.firstHi(), a.firstLo(), b.firstHi(), b.firstLo()));
        long[] fh = new long[v6.size()];
        long[] fl = new long[v6.size()];
        long[] lh = new long[v6.size()];
        long[] ll = new long[v6.size()];
        int n6 = 0;
        for (Cidr c : v6) {
            if (n6 > 0 && touches(lh[n6 - 1], ll[n6 - 1], c.firstHi(), c.firstLo())) {
                if (compare(c.lastHi(), c.lastLo(), lh[n6 - 1], ll[n6 - 1]) > 0) {
                    lh[n6 - 1] = c.lastHi();
                    ll[n6 - 1] = c.lastLo();
                }
            } else {
                fh[n6] = c.firstHi();
                fl[n6] = c.firstLo();
                lh[n6] = c.lastHi();
                ll[n6] = c.lastLo();
                n6++;
            }
        }
        return new IpRuleSet(java.util.Arrays.copyOf(f4, n4), java.util.Arrays.copyOf(l4, n4),
                java.util.Arrays.copyOf(fh, n6), java.util.Arrays.copyOf(fl, n6),
                java.util.Arrays.copyOf(lh, n6), java.util.Arrays.copyOf(ll, n6));
    }

    /**
     * Whether the address (4 or 16 network-order bytes) is in one of the networks. Anything else,
     * including null, is in none: an address that cannot be read never matches an allow rule.
     */
    public boolean contains(byte[] address) {
        if (address == null) {
            return false;
        }
        if (address.length == 4) {
            return containsV4(Cidr.readIpv4(address));
        }
        if (address.length != 16) {
            return false;
        }
        if (IpAddress.isIpv4Mapped(address)) {
            long v = ((address[12] & 0xffL) << 24) | ((address[13] & 0xffL) << 16) | ((address[14] & 0xffL) << 8)
                    | (address[15] & 0xffL);
            return containsV4(v);
        }
        return containsV6(Cidr.readLong(address, 0), Cidr.readLong(address, 8));
    }

    /** Convenience for tests and tools: parses the literal (no DNS); text that is not one matches nothing. */
    public boolean contains(String address) {
        return contains(IpAddress.parseOrNull(address));
    }

    /** How many disjoint ranges the networks merged into (both families). */
    public int rangeCount() {
        return v4First.length + v6FirstHi.length;
    }

    private boolean containsV4(long a) {
        // Largest i with first[i] <= a; then a is inside iff a <= last[i].
        int low = 0;
        int high = v4First.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (v4First[mid] <= a) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found >= 0 && a <= v4Last[found];
    }

    private boolean containsV6(long hi, long lo) {
        int low = 0;
        int high = v6FirstHi.length - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(v6FirstHi[mid], v6FirstLo[mid], hi, lo) <= 0) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found >= 0 && compare(hi, lo, v6LastHi[found], v6LastLo[found]) <= 0;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** Whether a range ending at (lastHi, lastLo) overlaps or is adjacent to one starting at (hi, lo). */
    private static boolean touches(long lastHi, long lastLo, long hi, long lo) {
        if (compare(hi, lo, lastHi, lastLo) <= 0) {
            return true;
        }
        if (lastHi == -1L && lastLo == -1L) {
            return true; // the previous range reaches the top of the address space
        }
        long nextLo = lastLo + 1;
        long nextHi = lastLo == -1L ? lastHi + 1 : lastHi;
        return nextHi == hi && nextLo == lo;
    }
}
