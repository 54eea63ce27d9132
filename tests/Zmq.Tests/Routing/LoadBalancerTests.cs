using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq.Tests.Routing;

public class LoadBalancerTests
{
    [Fact]
    public void NoPeers_ReturnsNull()
    {
        var lb = new LoadBalancer();
        Assert.Null(lb.Pick([]));
    }

    [Fact]
    public void RoundRobin_InListOrder()
    {
        var peers = FakePeers.Many(3);
        var lb = new LoadBalancer();
        var picked = Enumerable.Range(0, 7).Select(_ => lb.Pick(peers)).ToArray();
        Assert.Equal([peers[0], peers[1], peers[2], peers[0], peers[1], peers[2], peers[0]], picked);
    }

    [Fact]
    public void SkipsFullPeers()
    {
        var peers = FakePeers.Many(3, hwm: 2);
        FakePeers.FillOut(peers[1]);
        var lb = new LoadBalancer();
        Assert.Same(peers[0], lb.Pick(peers));
        Assert.Same(peers[2], lb.Pick(peers));
        Assert.Same(peers[0], lb.Pick(peers));
    }

    [Fact]
    public void SkipsDetachedPeers()
    {
        var peers = FakePeers.Many(3);
        peers[0].Attached = false;
        var lb = new LoadBalancer();
        Assert.Same(peers[1], lb.Pick(peers));
        Assert.Same(peers[2], lb.Pick(peers));
        Assert.Same(peers[1], lb.Pick(peers));
    }

    [Fact]
    public void AllFull_ReturnsNull_ThenResumesWhenRoomFrees()
    {
        var peers = FakePeers.Many(2, hwm: 1);
        FakePeers.FillOut(peers[0]);
        FakePeers.FillOut(peers[1]);
        var lb = new LoadBalancer();
        Assert.Null(lb.Pick(peers));
        peers[1].Out.Release(1); // the writer sent one
        Assert.Same(peers[1], lb.Pick(peers));
    }

    [Fact]
    public void PickingDoesNotConsumeRoom_TheCallerEnqueues()
    {
        var peers = FakePeers.Many(1, hwm: 1);
        var lb = new LoadBalancer();
        Assert.Same(peers[0], lb.Pick(peers));
        FakePeers.Send(peers[0]);
        Assert.Null(lb.Pick(peers));
    }

    [Fact]
    public void NewPeer_JoinsTheRotation()
    {
        var peers = FakePeers.Many(2);
        var lb = new LoadBalancer();
        Assert.Same(peers[0], lb.Pick(peers));
        peers.Add(FakePeers.Make("late"));
        Assert.Same(peers[1], lb.Pick(peers));
        Assert.Same(peers[2], lb.Pick(peers));
        Assert.Same(peers[0], lb.Pick(peers));
    }

    /// <summary>
    /// Regression test for a fixed BUG (Routing/LoadBalancer.cs, Pick): the cursor is only wrapped when a peer is picked, so
    /// after peers leave the list (a bind-side peer's connection closes, or Disconnect) it can
    /// point past the new end; <c>idx -= n</c> wraps once, which is not enough when
    /// <c>_next &gt;= n</c>, and <c>peers[idx]</c> throws ArgumentOutOfRangeException out of Send.
    /// </summary>
    [Fact]
    [Trait("Category", "Regression")]
    [Trait("Bug", "LoadBalancer cursor past the end after peers leave (fixed)")]
    public void PeersLeaving_CursorPastTheEnd_StillPicksTheRemainingPeer()
    {
        var peers = FakePeers.Many(3);
        var lb = new LoadBalancer();
        lb.Pick(peers);
        lb.Pick(peers); // cursor now 2
        peers.RemoveAt(2);
        peers.RemoveAt(1); // one peer left
        Assert.Same(peers[0], lb.Pick(peers));
    }

    [Fact]
    public void PeersLeaving_CursorWraps()
    {
        var peers = FakePeers.Many(3);
        var lb = new LoadBalancer();
        lb.Pick(peers);
        lb.Pick(peers); // cursor 2
        peers.RemoveAt(0); // [p1, p2], cursor 2 == n
        var p = lb.Pick(peers);
        Assert.NotNull(p);
        Assert.Contains(p, peers);
    }
}
