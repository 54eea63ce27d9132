using Zmq.Tests.Infrastructure;

namespace Zmq.Toolkit.Tests;

/// <summary>
/// Our gossip against CZMQ 4.2.1's zgossip (in-process through libczmq): a CZMQ client's bytes,
/// tuples both ways, and the liveness CZMQ lacks: a tuple published 3 s after an idle CZMQ client
/// joined our server, and one published to a CZMQ server 3 s after ours connected.
/// </summary>
public sealed class GossipInteropTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public void A_czmq_client_publishes_the_captured_bytes()
    {
        using var router = new RouterSocket { ReceiveTimeout = Long, Linger = TimeSpan.Zero };
        int port = router.Bind("tcp://127.0.0.1:*");
        using var czmq = new Czmq.GossipNode();
        czmq.Send("CONNECT", $"tcp://127.0.0.1:{port}");
        czmq.Send("PUBLISH", "svc/alpha", "tcp://127.0.0.1:9001");
        var bodies = new List<byte[]>();
        for (int i = 0; i < 2; i++) bodies.Add(router.ReceiveFrames()[1]);
        Assert.Equal(new GossipMessage(GossipMessageType.Hello).Encode(), bodies[0]);
        Assert.Equal(Convert.FromHexString("aaa00201097376632f616c706861000000147463703a2f2f3132372e302e302e313a3930303100000000"), bodies[1]);
    }

    [SkippableFact]
    public void An_idle_czmq_client_of_our_server_still_gets_a_tuple_published_3_s_later()
    {
        using var ours = new Gossip();
        int port = ours.Bind("tcp://127.0.0.1:*");
        using var czmq = new Czmq.GossipNode();
        czmq.Send("CONNECT", $"tcp://127.0.0.1:{port}");
        czmq.Send("PUBLISH", "from/czmq", "hello");
        Assert.True(ours.TryReceive(Long, out var t));
        Assert.Equal(new GossipTuple("from/czmq", "hello"), t);

        Thread.Sleep(3000); // CZMQ's client never PINGs: CZMQ's own server would have dropped it by now
        ours.Publish("from/ours", "late");
        var delivered = czmq.WaitFor("DELIVER", Long, "from/ours"); // (zgossip also delivers its own PUBLISH commands)
        Assert.Equal(["DELIVER", "from/ours", "late"], delivered ?? []);
    }

    [SkippableFact]
    public void Our_client_of_a_czmq_server_stays_in_session_and_gets_a_tuple_published_3_s_later()
    {
        using var czmq = new Czmq.GossipNode();
        czmq.Send("BIND", "tcp://127.0.0.1:*");
        czmq.Send("PORT");
        var port = czmq.WaitFor("PORT", Long);
        Assert.NotNull(port);
        czmq.Send("PUBLISH", "early", "1");
        using var ours = new Gossip();
        ours.Connect($"tcp://127.0.0.1:{port![1]}");
        Assert.True(ours.TryReceive(Long, out var first));
        Assert.Equal(new GossipTuple("early", "1"), first); // every known tuple after HELLO
        ours.Publish("from/ours", "x");
        Assert.Equal(["DELIVER", "from/ours", "x"], czmq.WaitFor("DELIVER", Long, "from/ours") ?? []);

        Thread.Sleep(3000); // CZMQ's server expires a client after 1 s of silence: ours PINGs
        czmq.Send("PUBLISH", "late", "2");
        Assert.True(ours.TryReceive(Long, out var late));
        Assert.Equal(new GossipTuple("late", "2"), late);
    }
}
