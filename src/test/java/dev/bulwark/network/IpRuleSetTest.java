package dev.bulwark.network;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IpRuleSetTest {

    @Test
    void emptySetContainsNothing() {
        assertThat(IpRuleSet.EMPTY.contains("1.2.3.4")).isFalse();
        assertThat(IpRuleSet.EMPTY.contains("::1")).isFalse();
        assertThat(IpRuleSet.EMPTY.contains((byte[]) null)).isFalse();
    }

    @Test
    void unreadableAddressesMatchNothingEvenUnderSlashZero() {
        IpRuleSet all = set("0.0.0.0/0", "::/0");
        assertThat(all.contains((byte[]) null)).isFalse();
        assertThat(all.contains(new byte[5])).isFalse();
        assertThat(all.contains("not an address")).isFalse();
        assertThat(all.contains("010.0.0.1")).isFalse();
    }

    @Test
    void networkEdgesAreInAndNeighboursAreOut() {
        IpRuleSet s = set("203.0.113.0/24", "198.51.100.7", "2001:db8::/64", "::1");
        assertThat(s.contains("203.0.113.0")).isTrue();
        assertThat(s.contains("203.0.113.255")).isTrue();
        assertThat(s.contains("203.0.112.255")).isFalse();
        assertThat(s.contains("203.0.114.0")).isFalse();
        assertThat(s.contains("198.51.100.7")).isTrue();
        assertThat(s.contains("198.51.100.6")).isFalse();
        assertThat(s.contains("198.51.100.8")).isFalse();
        assertThat(s.contains("2001:db8::")).isTrue();
        assertThat(s.contains("2001:db8::ffff:ffff:ffff:ffff")).isTrue();
        assertThat(s.contains("2001:db8:0:1::")).isFalse();
        assertThat(s.contains("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")).isFalse();
        assertThat(s.contains("::1")).isTrue();
        assertThat(s.contains("::2")).isFalse();
        assertThat(s.contains("::")).isFalse();
    }

    @Test
    void extremesOfTheAddressSpaceWork() {
        IpRuleSet s = set("0.0.0.0/32", "255.255.255.255/32", "::/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
        assertThat(s.contains("0.0.0.0")).isTrue();
        assertThat(s.contains("255.255.255.255")).isTrue();
        assertThat(s.contains("0.0.0.1")).isFalse();
        assertThat(s.contains("255.255.255.254")).isFalse();
        assertThat(s.contains("::")).isTrue();
        assertThat(s.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(s.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")).isFalse();
        assertThat(s.contains("::1")).isFalse();
        // Unsigned comparison: addresses with the top bit set sort above, not below, 0x7fff...
        IpRuleSet high = set("8000::/1");
        assertThat(high.contains("8000::")).isTrue();
        assertThat(high.contains("7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isFalse();
        assertThat(set("128.0.0.0/1").contains("127.255.255.255")).isFalse();
    }

    @Test
    void ipv4MappedClientAddressesMatchIpv4RulesOnly() {
        IpRuleSet s = set("192.0.2.0/24");
        assertThat(s.contains("::ffff:192.0.2.10")).isTrue();
        assertThat(s.contains("::ffff:192.0.3.10")).isFalse();
        assertThat(set("::/0").contains("::ffff:192.0.2.10")).isFalse();
    }

    @Test
    void overlappingAndAdjacentNetworksMerge() {
        IpRuleSet s = set("10.0.0.0/8", "10.1.0.0/16", "11.0.0.0/8", "2001:db8::/33", "2001:db8:8000::/33",
                "::/1", "8000::/1");
        assertThat(s.rangeCount()).isEqualTo(2);
        assertThat(s.contains("11.255.255.255")).isTrue();
        assertThat(s.contains("12.0.0.0")).isFalse();
        assertThat(s.contains("9.255.255.255")).isFalse();
        assertThat(s.contains("ffff::")).isTrue();
    }

    @Test
    void twoHundredRuleSetsAgreeWithABruteForceScan() {
        Random random = new Random(20261122L);
        for (int round = 0; round < 50; round++) {
            List<Cidr> rules = randomRules(random, 200);
            IpRuleSet set = IpRuleSet.of(rules);
            List<byte[]> probes = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                probes.add(randomAddress(random));
            }
            for (Cidr c : rules) { // the edges, and the addresses just outside them
                probes.add(edge(c, c.firstHi(), c.firstLo(), 0));
                probes.add(edge(c, c.lastHi(), c.lastLo(), 0));
                probes.add(edge(c, c.firstHi(), c.firstLo(), -1));
                probes.add(edge(c, c.lastHi(), c.lastLo(), +1));
            }
            int hits = 0;
            for (byte[] a : probes) {
                boolean expected = rules.stream().anyMatch(c -> c.contains(a));
                assertThat(set.contains(a)).as("round %d, %s", round, IpAddress.format(a)).isEqualTo(expected);
                hits += expected ? 1 : 0;
            }
            assertThat(hits).as("the test must exercise both outcomes").isBetween(1, probes.size() - 1);
        }
    }

    /** Rules in a few crowded regions, so that they overlap, nest and touch. */
    static List<Cidr> randomRules(Random random, int n) {
        List<Cidr> rules = new ArrayList<>();
        while (rules.size() < n) {
            Cidr c;
            if (random.nextBoolean()) {
                int prefix = 8 + random.nextInt(25);
                long a = (10L << 24) | (random.nextInt(4) << 16) | random.nextInt(1 << 16);
                if (random.nextInt(4) == 0) {
                    a = random.nextLong() & 0xffff_ffffL;
                }
                long mask = prefix == 0 ? 0 : (0xffff_ffffL << (32 - prefix)) & 0xffff_ffffL;
                c = new Cidr(true, 0, a & mask, prefix);
            } else {
                int prefix = 16 + random.nextInt(113);
                long hi = 0x2001_0db8_0000_0000L | (random.nextInt(4) << 16) | random.nextInt(1 << 16);
                long lo = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(1 << 16);
                if (random.nextInt(4) == 0) {
                    hi = random.nextLong();
                }
                long hiMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
                long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
                hi &= hiMask;
                lo &= loMask;
                if (hi == 0 && (lo >>> 32) == 0xffffL) {
                    continue; // inside the IPv4-mapped range: refused as a rule
                }
                c = new Cidr(false, hi, lo, prefix);
            }
            if (!rules.contains(c)) {
                rules.add(c);
            }
        }
        return rules;
    }

    static byte[] randomAddress(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> v4(random.nextLong() & 0xffff_ffffL);
            case 1 -> v4((10L << 24) | (random.nextInt(4) << 16) | random.nextInt(1 << 16));
            case 2 -> v6(0x2001_0db8_0000_0000L | (random.nextInt(4) << 16) | random.nextInt(1 << 16),
                    random.nextBoolean() ? random.nextLong() : random.nextInt(1 << 16));
            default -> v6(random.nextLong(), random.nextLong());
        };
    }

    private static byte[] edge(Cidr c, long hi, long lo, int delta) {
        if (c.ipv4()) {
            return v4((lo + delta) & 0xffff_ffffL);
        }
        long l = lo + delta;
        long h = hi;
        if (delta > 0 && l == 0) {
            h++;
        } else if (delta < 0 && lo == 0) {
            h--;
        }
        return v6(h, l);
    }

    static byte[] v4(long a) {
        return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }

    static byte[] v6(long hi, long lo) {
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (hi >>> (56 - 8 * i));
            a[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return a;
    }

    private static IpRuleSet set(String... cidrs) {
        List<Cidr> list = new ArrayList<>();
        for (String c : cidrs) {
            list.add(Cidr.parse(c));
        }
        return IpRuleSet.of(list);
    }
}
