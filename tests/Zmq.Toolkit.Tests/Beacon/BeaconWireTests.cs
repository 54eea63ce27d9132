using Zmq.Tests.Infrastructure;

namespace Zmq.Toolkit.Tests;

/// <summary>
/// What a beacon puts on the wire, captured in the listening namespace with a packet socket
/// (AF_PACKET, a Python script run with <c>ip netns exec</c>) and compared with what CZMQ 4.2.1's
/// zbeacon sends: the UDP payload is the published bytes as they are (no header, no framing),
/// source port = destination port = the beacon's port, from the interface's address to its
/// broadcast address (the kernel's <c>brd</c>, or <c>address | ~netmask</c> when none is set) on
/// the Ethernet broadcast address; IPv6: to ff02::1 (Ethernet 33:33:00:00:00:01), hop limit 1.
/// </summary>
[Collection(NetnsCollection.Name)]
public sealed class BeaconWireTests
{
    private const int Port = 5670;
    private const string Python = "/usr/bin/python3";

    /// <summary>Prints "eth-destination source:port destination:port ttl udp-payload-length payload-hex" per UDP datagram to PORT on IFACE.</summary>
    private const string Sniffer = """
        import socket, struct, sys
        iface, port = sys.argv[1], int(sys.argv[2])
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(3))
        s.bind((iface, 0))
        print("READY", flush=True)
        while True:
            pkt = s.recv(65535)
            kind = struct.unpack("!H", pkt[12:14])[0]
            ip = pkt[14:]
            if kind == 0x0800 and ip[9] == 17:
                src, dst, hops, udp = socket.inet_ntop(socket.AF_INET, ip[12:16]), socket.inet_ntop(socket.AF_INET, ip[16:20]), ip[8], ip[(ip[0] & 15) * 4:]
            elif kind == 0x86dd and ip[6] == 17:
                src, dst, hops, udp = socket.inet_ntop(socket.AF_INET6, ip[8:24]), socket.inet_ntop(socket.AF_INET6, ip[24:40]), ip[7], ip[40:]
            else:
                continue
            sport, dport, length = struct.unpack("!HHH", udp[:6])
            if dport != port:
                continue
            print("%s %s:%d %s:%d %d %d %s" % (pkt[:6].hex(":"), src, sport, dst, dport, hops, length - 8, udp[8:length].hex()), flush=True)
        """;

    private static readonly byte[] Payload = [.. "wire"u8, 0x00, 0x01, 0xFE, 0xFF, .. "\r\n ZMQ"u8];

    private static NetnsProcess StartSniffer(NetnsPair pair)
    {
        if (!File.Exists(Python))
        {
            string reason = $"{Python} not found (the packet capture is a Python script)";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(reason + ". CI=true, so a skip counts as a failure.");
            Skip.If(true, reason);
        }
        var sniffer = pair.Start(pair.B, Python, ["-u", "-c", Sniffer, NetnsPair.InterfaceB, Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        sniffer.WaitFor(l => l == "READY", BeaconPeer.Wait, "READY from the packet capture");
        return sniffer;
    }

    /// <summary>Runs <paramref name="kind"/> in A publishing <see cref="Payload"/> and returns the next two captured datagrams.</summary>
    private static List<string> Capture(NetnsPair pair, NetnsProcess sniffer, PeerKind kind, Dictionary<string, string>? env)
    {
        var speaker = BeaconPeer.Start(pair, pair.A, kind, env);
        speaker.Configure(Port);
        speaker.Publish(Payload, 100);
        var lines = new List<string>
        {
            sniffer.WaitFor(_ => true, BeaconPeer.Wait, $"datagram from {kind}"),
            sniffer.WaitFor(_ => true, BeaconPeer.Wait, $"second datagram from {kind}"),
        };
        speaker.Quit();
        sniffer.ReadFor(TimeSpan.FromMilliseconds(300)); // any still on the way
        return lines;
    }

    [SkippableTheory]
    [InlineData(null, NetnsPair.Broadcast)]           // no brd: address | ~netmask
    [InlineData("10.200.7.254", "10.200.7.254")]      // brd set: the kernel's, as it is
    public void Ipv4_beacons_are_the_bare_payload_from_the_port_to_the_broadcast_address_as_czmq_sends_them(string? brd, string destination)
    {
        using var pair = NetnsPair.Create(broadcastA: brd);
        var sniffer = StartSniffer(pair);
        string expected = $"ff:ff:ff:ff:ff:ff {NetnsPair.AddressA}:{Port} {destination}:{Port} 64 {Payload.Length} {Convert.ToHexStringLower(Payload)}";
        var czmq = Capture(pair, sniffer, PeerKind.Czmq, null);
        Assert.All(czmq, l => Assert.Equal(expected, l));
        var ours = Capture(pair, sniffer, PeerKind.Class, null);
        Assert.Equal(czmq, ours);
        Assert.Equal(czmq, Capture(pair, sniffer, PeerKind.Actor, null));
    }

    [SkippableFact]
    public void Ipv6_beacons_go_to_ff02_1_from_the_interfaces_address_as_czmq_sends_them()
    {
        using var pair = NetnsPair.Create();
        var sniffer = StartSniffer(pair);
        var env = new Dictionary<string, string> { ["ZSYS_IPV6"] = "1" };
        string expected = $"33:33:00:00:00:01 {NetnsPair.IPv6A}:{Port} ff02::1:{Port} 1 {Payload.Length} {Convert.ToHexStringLower(Payload)}";
        var czmq = Capture(pair, sniffer, PeerKind.Czmq, env);
        Assert.All(czmq, l => Assert.Equal(expected, l));
        Assert.Equal(czmq, Capture(pair, sniffer, PeerKind.Class, env));
    }
}
