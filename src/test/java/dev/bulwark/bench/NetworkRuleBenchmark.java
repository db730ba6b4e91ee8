package dev.bulwark.bench;

import dev.bulwark.network.Bypass;
import dev.bulwark.network.Cidr;
import dev.bulwark.network.DefaultAction;
import dev.bulwark.network.IpAddress;
import dev.bulwark.network.NamedNetwork;
import dev.bulwark.network.NamedNetworks;
import dev.bulwark.network.NetworkAcls;
import dev.bulwark.network.NetworkPolicy;
import dev.bulwark.network.NetworkVerdict;
import dev.bulwark.network.PublicNetworkAccess;
import dev.bulwark.network.VirtualNetworkRule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The network stage's decision with 200 rules (Azure's two caps, full): 100 ip rules (50 IPv4, 50
 * IPv6) and 100 virtual network rules each naming a settings network with one CIDR (half IPv4, half
 * IPv6), defaultAction Deny. Measures a matching and a non-matching client of each family, an
 * IPv4-mapped client, and, for comparison, a linear scan of the same 200 networks. Run: bench/jmh.sh
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NetworkRuleBenchmark {
    NetworkPolicy policy;
    List<Cidr> all;
    byte[][] matchingV4;
    byte[][] matchingV6;
    byte[] missV4;
    byte[] missV6;
    byte[] matchingMapped;
    int next;

    @Setup(Level.Trial)
    public void setup() {
        List<Cidr> ipRules = new ArrayList<>();
        List<VirtualNetworkRule> vnetRules = new ArrayList<>();
        List<NamedNetwork> networks = new ArrayList<>();
        all = new ArrayList<>();
        // Disjoint networks spread over the space, so nothing merges and the search sees 200 ranges.
        for (int i = 0; i < 50; i++) {
            ipRules.add(Cidr.parse("10." + i + ".0.0/16"));
            ipRules.add(Cidr.parse("2001:db8:" + Integer.toHexString(i) + "::/48"));
        }
        for (int i = 0; i < 100; i++) {
            Cidr c = i % 2 == 0 ? Cidr.parse("172." + (i / 2) + ".4.0/24") : Cidr.parse("fd00:" + Integer.toHexString(i) + "::/32");
            networks.add(new NamedNetwork("net-" + i, List.of(c), Set.of()));
            vnetRules.add(new VirtualNetworkRule("net-" + i, false));
            all.add(c);
        }
        all.addAll(ipRules);
        NetworkAcls acls = new NetworkAcls(DefaultAction.Deny, Bypass.None, ipRules, vnetRules);
        NamedNetworks named = NamedNetworks.of(networks);
        acls.checkNetworksExist(named);
        policy = NetworkPolicy.compile(acls, PublicNetworkAccess.Enabled, named);

        matchingV4 = new byte[256][];
        matchingV6 = new byte[256][];
        for (int i = 0; i < 256; i++) {
            matchingV4[i] = IpAddress.parse(i % 2 == 0 ? "10." + (i % 50) + ".7." + i : "172." + (i % 50) + ".4." + i);
            matchingV6[i] = IpAddress.parse(i % 2 == 0 ? "2001:db8:" + Integer.toHexString(i % 50) + "::" + Integer.toHexString(i)
                    : "fd00:" + Integer.toHexString((i % 50) * 2 + 1) + "::" + Integer.toHexString(i));
        }
        missV4 = IpAddress.parse("198.51.100.1");
        missV6 = IpAddress.parse("2001:db9::1");
        matchingMapped = IpAddress.parse("::ffff:10.20.1.2");
        for (byte[][] set : new byte[][][] {matchingV4, matchingV6}) {
            for (byte[] a : set) {
                check(policy.evaluate(a, "public", false) == NetworkVerdict.ALLOW);
            }
        }
        check(policy.evaluate(missV4, "public", false) == NetworkVerdict.DENY_FIREWALL);
        check(policy.evaluate(missV6, "public", false) == NetworkVerdict.DENY_FIREWALL);
        check(policy.evaluate(matchingMapped, "public", false) == NetworkVerdict.ALLOW);
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("benchmark setup does not produce the intended verdicts");
        }
    }

    @Benchmark
    public NetworkVerdict matchingIpv4() {
        next = (next + 1) & 255;
        return policy.evaluate(matchingV4[next], "public", false);
    }

    @Benchmark
    public NetworkVerdict matchingIpv6() {
        next = (next + 1) & 255;
        return policy.evaluate(matchingV6[next], "public", false);
    }

    @Benchmark
    public NetworkVerdict matchingIpv4Mapped() {
        return policy.evaluate(matchingMapped, "public", false);
    }

    @Benchmark
    public NetworkVerdict notMatchingIpv4() {
        return policy.evaluate(missV4, "public", false);
    }

    @Benchmark
    public NetworkVerdict notMatchingIpv6() {
        return policy.evaluate(missV6, "public", false);
    }

    /** For comparison only: what a scan of the same 200 networks costs for a non-matching client. */
    @Benchmark
    public boolean linearScanNotMatchingIpv6() {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).contains(missV6)) {
                return true;
            }
        }
        return false;
    }
}
