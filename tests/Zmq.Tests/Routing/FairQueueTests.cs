using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq.Tests.Routing;

public class FairQueueTests
{
    private static string TakeText(ref FairQueue fq, List<Peer> peers)
    {
        var p = fq.Pick(peers);
        Assert.NotNull(p);
        var m = new Message();
        FairQueue.TakeInto(p, m);
        return m.GetString(0);
    }

    [Fact]
    public void Empty_ReturnsNull()
    {
        var fq = new FairQueue();
        Assert.Null(fq.Pick([]));
        Assert.Null(fq.Pick(FakePeers.Many(3)));
    }

    [Fact]
    public void OneMessageFromEachPeerInTurn()
    {
        var peers = FakePeers.Many(3, hwm: 10);
        foreach (var (p, name) in peers.Zip(new[] { "a", "b", "c" }))
            for (int i = 0; i < 3; i++) FakePeers.Deliver(p, name + i);
        var fq = new FairQueue();
        var got = Enumerable.Range(0, 9).Select(_ => TakeText(ref fq, peers)).ToArray();
        Assert.Equal(["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"], got);
        Assert.Null(fq.Pick(peers));
    }

    [Fact]
    public void SkipsEmptyPeers_AndKeepsTheRotation()
    {
        var peers = FakePeers.Many(3, hwm: 10);
        FakePeers.Deliver(peers[0], "a0");
        FakePeers.Deliver(peers[0], "a1");
        FakePeers.Deliver(peers[2], "c0");
        FakePeers.Deliver(peers[2], "c1");
        var fq = new FairQueue();
        Assert.Equal("a0", TakeText(ref fq, peers));
        Assert.Equal("c0", TakeText(ref fq, peers));
        FakePeers.Deliver(peers[1], "b0"); // the cursor is back at a, so b comes after a
        Assert.Equal("a1", TakeText(ref fq, peers));
        Assert.Equal("b0", TakeText(ref fq, peers));
        Assert.Equal("c1", TakeText(ref fq, peers));
    }

    [Fact]
    public void TerminatedPeer_IsDrainedThenRemoved()
    {
        var peers = FakePeers.Many(2, hwm: 10);
        FakePeers.Deliver(peers[0], "last words");
        peers[0].Attached = false;
        peers[0].Terminated = true;
        var fq = new FairQueue();
        Assert.Equal("last words", TakeText(ref fq, peers));
        Assert.Null(fq.Pick(peers));
        Assert.Single(peers);
        Assert.Equal("p1", peers[0].Endpoint);
    }

    [Fact]
    public void TerminatedPeersRemoved_RotationContinuesWithTheRest()
    {
        var peers = FakePeers.Many(4, hwm: 10);
        foreach (var p in peers) FakePeers.Deliver(p, p.Endpoint);
        var fq = new FairQueue();
        Assert.Equal("p0", TakeText(ref fq, peers));
        Assert.Equal("p1", TakeText(ref fq, peers)); // cursor at p2
        peers[1].Terminated = true;  // empty: removed when passed
        peers[2].Terminated = true;  // has a message: still delivered
        Assert.Equal("p2", TakeText(ref fq, peers));
        Assert.Equal("p3", TakeText(ref fq, peers));
        Assert.Null(fq.Pick(peers));
        Assert.Equal(["p0", "p3"], peers.Select(p => p.Endpoint).ToArray());
    }

    /// <summary>
    /// Regression test for a fixed BUG (Routing/FairQueue.cs, Pick): same cursor problem as the load balancer. The socket removes
    /// drained, detached peers from the list itself (Socket.Peers.cs DetachPeerLocked), so the cursor
    /// can be left at or past the new end; one <c>idx -= n</c> is not enough and Receive throws
    /// ArgumentOutOfRangeException.
    /// </summary>
    [Fact]
    [Trait("Category", "Regression")]
    [Trait("Bug", "FairQueue cursor past the end after peers leave (fixed)")]
    public void PeersLeavingTheList_CursorPastTheEnd_StillPicks()
    {
        var peers = FakePeers.Many(3, hwm: 10);
        FakePeers.Deliver(peers[0], "a");
        FakePeers.Deliver(peers[1], "b");
        var fq = new FairQueue();
        Assert.Equal("a", TakeText(ref fq, peers));
        Assert.Equal("b", TakeText(ref fq, peers)); // cursor now 2
        peers.RemoveAt(2);
        peers.RemoveAt(1);
        FakePeers.Deliver(peers[0], "c");
        Assert.Equal("c", TakeText(ref fq, peers));
    }

    [Fact]
    public void TakeInto_SwapsBuffersWithoutCopying()
    {
        var peers = FakePeers.Many(1, hwm: 1);
        FakePeers.Deliver(peers[0], "hello");
        var slot = peers[0].In.Peek();
        var m = new Message();
        var mine = m.Frames;
        FairQueue.TakeInto(peers[0], m);
        Assert.Same(slot, m.Frames);
        Assert.Equal("hello", m.GetString(0));
        Assert.Equal(0, mine.Count);
        // The message's old FrameSet now sits in the pipe as a reusable slot: the producer meets it
        // again once the consumer has passed its segment.
        bool reused = false;
        for (int i = 0; i < 300 && !reused; i++)
        {
            var fs = peers[0].In.TryReserve()!;
            reused = ReferenceEquals(mine, fs);
            fs.Add("x"u8);
            peers[0].In.Commit();
            Assert.NotNull(peers[0].In.Peek());
            peers[0].In.Release(1);
        }
        Assert.True(reused);
    }
}
