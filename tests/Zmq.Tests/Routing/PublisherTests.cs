using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq.Tests.Routing;

/// <summary>The PUB/XPUB machinery over fake peers: per-peer sets, union counting, distribution.</summary>
public class PublisherTests
{
    private void Incoming(Peer p, params byte[] first)
    {
        p.In.ConsumerSignal ??= Wired;
        var fs = p.In.TryReserve()!;
        fs.Add(first);
        p.In.Commit();
    }

    /// <summary>The arrivals signal of the publisher under test (a socket wires its peers' inbound pipes to it).</summary>
    private SubscriptionArrivals? Wired;

    private Publisher NewPublisher(bool notify = true)
    {
        var pub = new Publisher { Notify = notify };
        Wired = pub.Arrivals;
        return pub;
    }

    private void Sub(Peer p, string topic) => Incoming(p, [1, .. System.Text.Encoding.ASCII.GetBytes(topic)]);
    private void Cancel(Peer p, string topic) => Incoming(p, [0, .. System.Text.Encoding.ASCII.GetBytes(topic)]);

    private static string[] Drain(Publisher pub)
    {
        var list = new List<string>();
        while (pub.Notifications.TryDequeue(out var n)) list.Add((n[0] == 1 ? "+" : "-") + System.Text.Encoding.ASCII.GetString(n, 1, n.Length - 1));
        return [.. list];
    }

    [Fact]
    public void RepeatedSubscribe_IsASetPerPeer_SingleCancelRemoves()
    {
        var peers = FakePeers.Many(1, hwm: 10);
        var pub = NewPublisher();
        Sub(peers[0], "T");
        Sub(peers[0], "T");
        pub.Process(peers, null);
        Assert.Equal(["+T"], Drain(pub));
        Assert.True(Publisher.Of(peers[0]).Contains("T"u8));
        Cancel(peers[0], "T");
        pub.Process(peers, null);
        Assert.False(Publisher.Of(peers[0]).Matches("T1"u8));
        Assert.Equal(["-T"], Drain(pub));
    }

    [Fact]
    public void Union_CountsPeers()
    {
        var peers = FakePeers.Many(2, hwm: 10);
        var pub = NewPublisher();
        Sub(peers[0], "T");
        Sub(peers[1], "T");
        pub.Process(peers, null);
        Assert.Equal(["+T"], Drain(pub));
        Cancel(peers[0], "T");
        pub.Process(peers, null);
        Assert.Empty(Drain(pub));
        Cancel(peers[1], "T");
        pub.Process(peers, null);
        Assert.Equal(["-T"], Drain(pub));
    }

    [Fact]
    public void CancelOfUnknownTopic_ChangesNothing()
    {
        var peers = FakePeers.Many(1, hwm: 10);
        var pub = NewPublisher();
        Cancel(peers[0], "never");
        pub.Process(peers, null);
        Assert.Empty(Drain(pub));
    }

    [Fact]
    public void Leave_RemovesThePeersTopicsFromTheUnion()
    {
        var peers = FakePeers.Many(2, hwm: 10);
        var pub = NewPublisher();
        Sub(peers[0], "A");
        Sub(peers[0], "B");
        Sub(peers[1], "B");
        pub.Process(peers, null);
        Assert.Equal(["+A", "+B"], Drain(pub));
        pub.Leave(peers[0], userData: null);
        Assert.Equal(["-A"], Drain(pub));
        Assert.Equal(0, Publisher.Of(peers[0]).Count);
    }

    [Fact]
    public void Leave_AppliesWhatThePeerStillHadQueuedFirst()
    {
        var peers = FakePeers.Many(1, hwm: 10);
        var pub = NewPublisher();
        Sub(peers[0], "A");
        pub.Leave(peers[0], userData: null);
        Assert.Equal(["+A", "-A"], Drain(pub));
        Assert.True(peers[0].In.IsEmpty);
    }

    [Fact]
    public void WithoutNotify_NothingIsQueued_AndOtherDataIsDropped()
    {
        var peers = FakePeers.Many(1, hwm: 10);
        var pub = NewPublisher(notify: false);
        Sub(peers[0], "A");
        Incoming(peers[0], "user data"u8.ToArray());
        pub.Process(peers, userData: null);
        Assert.Empty(pub.Notifications);
        Assert.True(peers[0].In.IsEmpty);
    }

    [Fact]
    public void OtherMessages_GoToUserData()
    {
        var peers = FakePeers.Many(1, hwm: 10);
        var pub = NewPublisher();
        Incoming(peers[0], "hello"u8.ToArray());
        Incoming(peers[0], []); // an empty first frame is data, not a subscription
        var user = new Queue<(Peer, byte[][])>();
        pub.Process(peers, user);
        Assert.Equal(2, user.Count);
        Assert.Equal("hello"u8.ToArray(), user.Dequeue().Item2[0]);
        Assert.Empty(user.Dequeue().Item2[0]);
    }

    [Fact]
    public void Distribute_ToMatchingAttachedPeersWithRoom()
    {
        var peers = FakePeers.Many(4, hwm: 1);
        var pub = NewPublisher(notify: false);
        Sub(peers[0], "A");
        Sub(peers[1], "B");
        Sub(peers[2], "");
        Sub(peers[3], "A");
        pub.Process(peers, null);
        peers[3].Attached = false;
        Publisher.Distribute(peers, new OutFrames("A1"u8));
        Assert.Equal([1, 0, 1, 0], peers.Select(p => p.Out.Count));
        Publisher.Distribute(peers, new OutFrames("A2"u8)); // full peers miss it, nothing blocks
        Assert.Equal([1, 0, 1, 0], peers.Select(p => p.Out.Count));
        Assert.Equal("A1"u8.ToArray(), peers[0].Out.Peek()!.Frame(0).ToArray());
    }
}
