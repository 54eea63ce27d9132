using System.Text;

namespace Zmq.Toolkit.Tests;

/// <summary>ZGSP v1: the codec's bytes (CZMQ's, captured), our nodes spreading tuples (forwarding, loops ending, newcomers, unpublish, time to live), bad input.</summary>
public sealed class GossipTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    /// <summary>One PUBLISH body as a CZMQ 4.2.1 client sent it (ZMTP frame 002a + this).</summary>
    private static readonly byte[] Golden = Convert.FromHexString("aaa0020109" + "7376632f616c706861" + "00000014" + "7463703a2f2f3132372e302e302e313a39303031" + "00000000");

    [Fact]
    public void Publish_is_czmqs_bytes_and_decodes_back()
    {
        var m = new GossipMessage(GossipMessageType.Publish, "svc/alpha", "tcp://127.0.0.1:9001");
        Assert.Equal(Golden, m.Encode());
        Assert.True(GossipMessage.TryDecode(Golden, out var back, out _));
        Assert.Equal(m, back);
        Assert.Equal([0xAA, 0xA0, 1, 1], new GossipMessage(GossipMessageType.Hello).Encode());
        Assert.Equal([0xAA, 0xA0, 3, 1], new GossipMessage(GossipMessageType.Ping).Encode());
        Assert.Throws<ArgumentException>(() => new GossipMessage(GossipMessageType.Publish, new string('k', 256), "v").Encode());
    }

    [Theory]
    [InlineData("", "at least 4")]
    [InlineData("aaa1 0101", "signature")]
    [InlineData("aaa0 0901", "message id")]
    [InlineData("aaa0 0102", "version")]
    [InlineData("aaa0 0101 00", "after a Hello")]
    [InlineData("aaa0 0201", "without a key")]
    [InlineData("aaa0 0201 05 6b6579", "cut in its key")]
    [InlineData("aaa0 0201 01 6b 000000ff 76", "value of 255 bytes")]
    [InlineData("aaa0 0201 01 6b 00000001 76", "time to live")]
    [InlineData("aaa0 0201 01 6b 00000001 76 00000000 00", "after a PUBLISH")]
    [InlineData("aaa0 0201 01 ff 00000001 76 00000000", "not UTF-8")]
    public void Malformed_messages_say_what_is_wrong(string hex, string expected)
    {
        Assert.False(GossipMessage.TryDecode(Convert.FromHexString(hex.Replace(" ", "")), out _, out var error));
        Assert.Contains(expected, error);
    }

    /// <summary>The value of <paramref name="key"/> a node delivered last, once nothing more arrives for 300 ms (bounded).</summary>
    private static string Settled(Gossip node, string key)
    {
        string? last = null;
        var deadline = DateTime.UtcNow + Long;
        while (DateTime.UtcNow < deadline)
        {
            if (!node.TryReceive(TimeSpan.FromMilliseconds(last is null ? 5000 : 300), out var t))
            {
                if (last is not null) return last;
                continue;
            }
            if (t.Key == key) last = t.Value;
        }
        return last ?? "(nothing delivered)";
    }

    private static GossipTuple Next(Gossip node)
    {
        Assert.True(node.TryReceive(Long, out var t), "no tuple arrived");
        return t;
    }

    [Fact]
    public void A_tuple_spreads_to_every_node_once_and_newcomers_get_what_is_known()
    {
        using var server = new Gossip();
        int port = server.Bind("tcp://127.0.0.1:*");
        string ep = $"tcp://127.0.0.1:{port}";
        using var a = new Gossip();
        using var b = new Gossip();
        a.Connect(ep);
        b.Connect(ep);
        a.Publish("svc/alpha", "tcp://10.0.0.1:1");
        Assert.Equal(new GossipTuple("svc/alpha", "tcp://10.0.0.1:1"), Next(server));
        Assert.Equal(new GossipTuple("svc/alpha", "tcp://10.0.0.1:1"), Next(b));
        Assert.False(a.TryReceive(TimeSpan.FromMilliseconds(100), out _), "a node heard its own tuple back");

        using var late = new Gossip();
        late.Connect(ep);
        Assert.Equal(new GossipTuple("svc/alpha", "tcp://10.0.0.1:1"), Next(late)); // after HELLO, every known tuple
        Assert.Equal(1, late.Status());
    }

    [Fact]
    public void Forwarding_in_a_ring_ends_and_unpublish_spreads()
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => new Gossip()).ToArray();
        try
        {
            var ports = nodes.Select(n => n.Bind("tcp://127.0.0.1:*")).ToArray();
            for (int i = 0; i < 3; i++) nodes[i].Connect($"tcp://127.0.0.1:{ports[(i + 1) % 3]}"); // 0 -> 1 -> 2 -> 0
            nodes[0].Publish("k", "v1");
            Assert.Equal(new GossipTuple("k", "v1"), Next(nodes[1]));
            Assert.Equal(new GossipTuple("k", "v1"), Next(nodes[2]));
            // Every node delivered it once: nothing circulates (a ring link that comes up late
            // greets with the same value, which is dropped as a duplicate).
            Thread.Sleep(200);
            foreach (var n in nodes) Assert.False(n.TryReceive(TimeSpan.Zero, out var extra), $"still circulating: {extra}");
            // A change (and an unpublish) reaches every node; ZGSP has no versions, so a node may
            // see the old value once more while a late link catches up: the last value is what counts.
            nodes[1].Publish("k", "v2");
            Assert.Equal("v2", Settled(nodes[0], "k"));
            Assert.Equal("v2", Settled(nodes[2], "k"));
            nodes[2].Unpublish("k");
            Assert.Equal("", Settled(nodes[0], "k"));
            Assert.Equal("", Settled(nodes[1], "k"));
            Assert.All(nodes, n => Assert.Equal(0, n.Status()));
        }
        finally
        {
            foreach (var n in nodes) n.Dispose();
        }
    }

    [Fact]
    public void Curve_between_our_nodes_and_a_client_without_the_key_learns_nothing()
    {
        var keys = CurveKeyPair.Generate();
        using var server = new Gossip();
        server.UseCurve(keys);
        int port = server.Bind("tcp://127.0.0.1:*");
        server.Publish("secret", "s3");
        using var client = new Gossip();
        client.Connect($"tcp://127.0.0.1:{port}", keys.PublicKey);
        Assert.Equal(new GossipTuple("secret", "s3"), Next(client));
        using var plain = new Gossip();
        plain.Connect($"tcp://127.0.0.1:{port}"); // NULL against a CURVE server: refused
        Assert.False(plain.TryReceive(TimeSpan.FromMilliseconds(300), out _));
    }

    [Fact]
    public void A_time_to_live_expires_a_tuple_everywhere()
    {
        using var server = new Gossip(pingInterval: TimeSpan.FromMilliseconds(20));
        int port = server.Bind("tcp://127.0.0.1:*");
        using var client = new Gossip(pingInterval: TimeSpan.FromMilliseconds(20));
        client.Connect($"tcp://127.0.0.1:{port}");
        client.Publish("lease", "mine", TimeSpan.FromMilliseconds(300));
        Assert.Equal(new GossipTuple("lease", "mine"), Next(server));
        Assert.Equal(1, server.Status());
        Zmq.Tests.Infrastructure.Wait.Until(() => server.Status() == 0 && client.Status() == 0, "the tuple expired on both nodes");
    }

    [Fact]
    public void A_malformed_message_gets_INVALID_and_the_server_goes_on()
    {
        using var server = new Gossip();
        int port = server.Bind("tcp://127.0.0.1:*");
        using var raw = new DealerSocket($">tcp://127.0.0.1:{port}") { ReceiveTimeout = Long, Linger = TimeSpan.Zero };
        raw.Send([0xAA, 0xA0, 0x09, 0x01]); // bad id
        Assert.Equal(new GossipMessage(GossipMessageType.Invalid).Encode(), raw.ReceiveBytes());
        raw.Send(new GossipMessage(GossipMessageType.Publish, "k", "v").Encode()); // PUBLISH before HELLO
        Assert.Equal(new GossipMessage(GossipMessageType.Invalid).Encode(), raw.ReceiveBytes());
        raw.Send(new GossipMessage(GossipMessageType.Ping).Encode());
        Assert.Equal(new GossipMessage(GossipMessageType.Pong).Encode(), raw.ReceiveBytes());
        raw.Send(new GossipMessage(GossipMessageType.Hello).Encode());
        raw.Send(Golden);
        Assert.Equal(new GossipTuple("svc/alpha", "tcp://127.0.0.1:9001"), Next(server));
        Assert.Throws<ArgumentException>(() => server.Publish(new string('x', 300), "v"));
    }
}
