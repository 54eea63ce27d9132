using Zmq.Tests.Infrastructure;
namespace Zmq.Toolkit.Tests;

/// <summary>The namespace tests run one after another (each starts several processes).</summary>
[CollectionDefinition(Name)]
public sealed class NetnsCollection
{
    public const string Name = "beacon namespaces";
}

/// <summary>
/// Our beacon (the class and the actor) and CZMQ 4.2.1's zbeacon hear each other, over IPv4
/// broadcast and IPv6 multicast, each in a process inside its own test namespace
/// (10.200.7.1 / fd00:200:7::1 announces, 10.200.7.2 / fd00:200:7::2 listens).
/// </summary>
[Collection(NetnsCollection.Name)]
public sealed class BeaconInteropTests
{
    private const int Port = 5670;

    [SkippableTheory]
    [InlineData(PeerKind.Czmq, PeerKind.Class, false)]
    [InlineData(PeerKind.Czmq, PeerKind.Actor, false)]
    [InlineData(PeerKind.Class, PeerKind.Czmq, false)]
    [InlineData(PeerKind.Actor, PeerKind.Czmq, false)]
    [InlineData(PeerKind.Czmq, PeerKind.Class, true)]
    [InlineData(PeerKind.Czmq, PeerKind.Actor, true)]
    [InlineData(PeerKind.Class, PeerKind.Czmq, true)]
    [InlineData(PeerKind.Actor, PeerKind.Czmq, true)]
    public void A_beacon_is_heard_with_its_senders_address_and_payload(PeerKind announcer, PeerKind listener, bool ipv6)
    {
        using var pair = NetnsPair.Create();
        var env = ipv6 ? new Dictionary<string, string> { ["ZSYS_IPV6"] = "1" } : null;
        var heard = BeaconPeer.Start(pair, pair.B, listener, env);
        Assert.Equal(ipv6 ? NetnsPair.IPv6B : NetnsPair.AddressB, heard.Configure(Port));
        heard.Subscribe("");
        var speaker = BeaconPeer.Start(pair, pair.A, announcer, env);
        Assert.Equal(ipv6 ? NetnsPair.IPv6A : NetnsPair.AddressA, speaker.Configure(Port));
        byte[] payload = [0x00, 0xFF, .. "interop beacon\t"u8, 0x0A, .. new byte[200]];
        speaker.Publish(payload, 100);
        var (address, got) = heard.NextBeacon();
        Assert.Equal(ipv6 ? NetnsPair.IPv6A : NetnsPair.AddressA, address);
        Assert.Equal(payload, got);
        // and it goes on: every interval
        Assert.Equal(payload, heard.NextBeacon().Payload);
    }

    [SkippableFact]
    public void A_255_byte_beacon_passes_whole_both_ways()
    {
        using var pair = NetnsPair.Create();
        var czmq = BeaconPeer.Start(pair, pair.A, PeerKind.Czmq);
        var ours = BeaconPeer.Start(pair, pair.B, PeerKind.Class);
        czmq.Configure(Port);
        ours.Configure(Port);
        czmq.Subscribe("");
        ours.Subscribe("");
        byte[] a = [.. Enumerable.Range(0, 255).Select(i => (byte)i)];
        byte[] b = [.. a.Reverse()];
        czmq.Publish(a, 100);
        ours.Publish(b, 100);
        var (fromA, gotA) = ours.NextBeacon();
        Assert.Equal(NetnsPair.AddressA, fromA);
        Assert.Equal(a, gotA);
        var (fromB, gotB) = czmq.NextBeacon();
        Assert.Equal(NetnsPair.AddressB, fromB);
        Assert.Equal(b, gotB);
    }
}
