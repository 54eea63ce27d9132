using Zmq.Tests.Infrastructure;

namespace Zmq.Toolkit.Tests;

/// <summary>
/// zbeacon's rules with real sockets inside test namespaces, ours checked against CZMQ 4.2.1
/// doing the same: delivery only after a subscription and only for its prefix, never of the
/// beacon's own payload (its echo, or the same bytes from a peer), nothing after UNSUBSCRIBE;
/// several processes on one port on one host; datagrams that are no beacon never stop one; the
/// interface chosen as zbeacon chooses it (ZSYS_INTERFACE, an explicit interface, the first one).
/// </summary>
[Collection(NetnsCollection.Name)]
public sealed class BeaconRulesTests
{
    private const int Port = 5670;

    /// <summary>Time for a command on a peer's stdin to take effect before the next datagram.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(400);

    [SkippableTheory]
    [InlineData(PeerKind.Class)]
    [InlineData(PeerKind.Actor)]
    [InlineData(PeerKind.Czmq)]
    public void Only_subscribed_prefixes_are_delivered_never_our_own_payload_and_nothing_after_unsubscribe(PeerKind kind)
    {
        using var pair = NetnsPair.Create();
        var beacon = BeaconPeer.Start(pair, pair.A, kind);
        var other = BeaconPeer.Start(pair, pair.B, PeerKind.Class); // sends raw datagrams to A's broadcast address
        Assert.Equal(NetnsPair.AddressA, beacon.Configure(Port));
        beacon.Publish("ME-1", 50);                 // its own broadcasts come back to it all along
        Thread.Sleep(Settle);
        other.Send(NetnsPair.Broadcast, Port, "EARLY"); // not subscribed yet
        Thread.Sleep(Settle);
        beacon.Subscribe("ME");
        Thread.Sleep(Settle);
        other.Send(NetnsPair.Broadcast, Port, "ME-1");  // byte for byte what it publishes: dropped, whoever sends it
        other.Send(NetnsPair.Broadcast, Port, "OTHER"); // not the prefix
        other.Send(NetnsPair.Broadcast, Port, "ME-2");
        Assert.Equal((NetnsPair.AddressB, "ME-2"), beacon.NextText());
        beacon.Unsubscribe();
        Thread.Sleep(Settle);
        other.Send(NetnsPair.Broadcast, Port, "ME-3");  // unsubscribed
        Thread.Sleep(Settle);
        beacon.Subscribe("");                          // everything, but still not its own
        Thread.Sleep(Settle);
        other.Send(NetnsPair.Broadcast, Port, "OTHER-2");
        Assert.Equal((NetnsPair.AddressB, "OTHER-2"), beacon.NextText());
        beacon.Silence();
        Thread.Sleep(Settle);
        // Its own last broadcasts that were still queued unread when it fell silent are no longer
        // its transmission, so they are delivered (zbeacon filters at read time too): drained here.
        Assert.All(beacon.BeaconsFor(Settle), b => Assert.Equal((NetnsPair.AddressA, "ME-1"), (b.Address, System.Text.Encoding.UTF8.GetString(b.Payload))));
        other.Send(NetnsPair.Broadcast, Port, "ME-1");  // no longer ours: delivered
        Assert.Equal((NetnsPair.AddressB, "ME-1"), beacon.NextText());
        Assert.Empty(beacon.BeaconsFor(Settle));
    }

    [SkippableFact]
    public void Several_processes_share_the_port_and_each_hears_every_beacon_also_from_its_own_host()
    {
        using var pair = NetnsPair.Create();
        var listeners = new[] { PeerKind.Class, PeerKind.Czmq, PeerKind.Actor }.Select(k => BeaconPeer.Start(pair, pair.B, k)).ToList();
        foreach (var l in listeners)
        {
            Assert.Equal(NetnsPair.AddressB, l.Configure(Port));
            l.Subscribe("from-");
        }
        var local = BeaconPeer.Start(pair, pair.B, PeerKind.Czmq);   // on the listeners' host, same port
        var remote = BeaconPeer.Start(pair, pair.A, PeerKind.Class);
        Assert.Equal(NetnsPair.AddressB, local.Configure(Port));
        Assert.Equal(NetnsPair.AddressA, remote.Configure(Port));
        local.Publish("from-b", 100);
        remote.Publish("from-a", 100);
        foreach (var l in listeners)
        {
            var heard = new HashSet<(string, string)>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (heard.Count < 2 && clock.Elapsed < BeaconPeer.Wait) heard.Add(l.NextText());
            Assert.Equal(new HashSet<(string, string)> { (NetnsPair.AddressB, "from-b"), (NetnsPair.AddressA, "from-a") }, heard);
        }
    }

    [SkippableTheory]
    [InlineData(PeerKind.Class)]
    [InlineData(PeerKind.Actor)]
    public void Datagrams_longer_than_255_bytes_are_ignored_and_any_bytes_up_to_255_are_beacons(PeerKind kind)
    {
        using var pair = NetnsPair.Create();
        var beacon = BeaconPeer.Start(pair, pair.B, kind);
        var sender = BeaconPeer.Start(pair, pair.A, PeerKind.Class);
        beacon.Configure(Port);
        beacon.Subscribe("");
        Thread.Sleep(Settle);
        byte[] every = [.. Enumerable.Range(0, 255).Select(i => (byte)(255 - i))];
        sender.SendLength(NetnsPair.Broadcast, Port, 256);
        sender.SendLength(NetnsPair.Broadcast, Port, 1400);
        sender.SendLength(NetnsPair.Broadcast, Port, 65000);   // fragmented on the wire
        sender.Send(NetnsPair.Broadcast, Port, []);             // empty: a beacon (the empty prefix takes it)
        sender.Send(NetnsPair.Broadcast, Port, every);
        sender.Send(NetnsPair.AddressB, Port, "unicast");       // to the interface's address: the sending socket's, not delivered (as zbeacon)
        sender.Send(NetnsPair.Broadcast, Port, "still-here");
        var got = new List<byte[]>();
        while (got.Count == 0 || got[^1].Length != 10) got.Add(beacon.NextBeacon().Payload);
        Assert.Equal(3, got.Count);
        Assert.Empty(got[0]);
        Assert.Equal(every, got[1]);
        Assert.Equal("still-here"u8.ToArray(), got[2]);
        // and the beacon still works both ways
        beacon.Publish("alive", 100);
        sender.Configure(Port);
        sender.Subscribe("alive");
        Assert.Equal((NetnsPair.AddressB, "alive"), sender.NextText());
    }

    public static TheoryData<string?, string> Interfaces => new()
    {
        { null, NetnsPair.DecoyAddress },                // the first broadcast interface that is up
        { NetnsPair.InterfaceA, NetnsPair.AddressA },    // by name
        { NetnsPair.AddressA, NetnsPair.AddressA },      // by address
        { "*", "*" },                                    // every interface
        { "0", NetnsPair.DecoyAddress },                 // by position
        { "1", NetnsPair.AddressA },
        { "zb-no-such", "" },                            // none: CONFIGURE answers ""
    };

    [SkippableTheory]
    [MemberData(nameof(Interfaces))]
    public void The_interface_follows_ZSYS_INTERFACE_as_czmq_chooses_it(string? zsysInterface, string expected)
    {
        using var pair = NetnsPair.Create(decoyFirst: true);
        var env = zsysInterface is null ? null : new Dictionary<string, string> { ["ZSYS_INTERFACE"] = zsysInterface };
        foreach (var kind in new[] { PeerKind.Czmq, PeerKind.Class })
        {
            var peer = BeaconPeer.Start(pair, pair.A, kind, env);
            Assert.Equal(expected, peer.Configure(Port));
            peer.Quit();
        }
    }

    [SkippableTheory]
    [InlineData(PeerKind.Class)]
    [InlineData(PeerKind.Actor)]
    public void An_explicit_interface_wins_and_beacons_leave_through_it(PeerKind kind)
    {
        using var pair = NetnsPair.Create(decoyFirst: true);
        var listener = BeaconPeer.Start(pair, pair.B, PeerKind.Czmq);
        listener.Configure(Port);
        listener.Subscribe("");
        var speaker = BeaconPeer.Start(pair, pair.A, kind, new Dictionary<string, string> { ["ZSYS_INTERFACE"] = NetnsPair.DecoyInterface });
        Assert.Equal(NetnsPair.DecoyAddress, speaker.Configure(Port));  // ZSYS_INTERFACE: the decoy, where B hears nothing
        speaker.Publish("through-decoy", 100);
        Assert.Empty(listener.BeaconsFor(TimeSpan.FromSeconds(1)));
        Assert.Equal(NetnsPair.AddressA, speaker.Configure(Port, NetnsPair.InterfaceA)); // the explicit one, reconfigured: still publishing
        Assert.Equal((NetnsPair.AddressA, "through-decoy"), listener.NextText());
    }
}
