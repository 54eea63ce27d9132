using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Sockets;

/// <summary>SCATTER/GATHER and CHANNEL (draft): PUSH/PULL and PAIR for single frames, over every transport.</summary>
public sealed class SingleFrameTypesTests
{
    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Scatter_spreads_over_gatherers_and_refuses_multipart(string transport)
    {
        using var scope = new SocketScope();
        var scatter = scope.Add(new ScatterSocket(context: scope.Context));
        scatter.Bind(Endpoints.BindAny(transport));
        var gathers = Enumerable.Range(0, 2).Select(_ => { var g = scope.Add(new GatherSocket(context: scope.Context)); g.Connect(scatter.LastEndpoint!); return g; }).ToList();
        Wait.Until(() => gathers.All(g => g.IsDisposed == false) && scatter.Events == PollEvents.Out, "connected");
        Thread.Sleep(50); // both gatherers attached (round-robin is over attached peers)
        for (int i = 0; i < 10; i++) scatter.SendString(i.ToString());
        var got = new List<string>();
        foreach (var g in gathers)
            while (g.TryReceive(TimeSpan.FromMilliseconds(300), out var m))
                using (m) got.Add(m.GetString(0));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), got.OrderBy(int.Parse));
        Assert.Equal(ZmqError.InvalidMessage, Assert.Throws<ZmqException>(() => scatter.SendFrames("a", "b")).Error);
        Assert.Equal(ZmqError.NotSupported, Assert.Throws<ZmqException>(() => gathers[0].SendString("x")).Error);
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public void Channels_talk_both_ways_one_peer_only(string transport)
    {
        using var scope = new SocketScope();
        var a = scope.Add(new ChannelSocket(context: scope.Context));
        a.Bind(Endpoints.BindAny(transport));
        var b = scope.Add(new ChannelSocket(context: scope.Context));
        b.Connect(a.LastEndpoint!);
        b.SendString("ping");
        Assert.Equal("ping", a.ReceiveString());
        a.SendString("pong");
        Assert.Equal("pong", b.ReceiveString());
        Assert.Equal(ZmqError.InvalidMessage, Assert.Throws<ZmqException>(() => a.SendFrames("x", "y")).Error);
        var pair = scope.Pair(); // PAIR and CHANNEL are different types: refused
        if (transport == "inproc")
        {
            Assert.Equal(ZmqError.NotSupported, Assert.Throws<ZmqException>(() => pair.Connect(a.LastEndpoint!)).Error);
            return;
        }
        pair.Connect(a.LastEndpoint!);
        pair.TrySend("wrong"u8);
        Assert.False(a.TryReceive(TimeSpan.FromMilliseconds(150), out _));
    }
}

/// <summary>
/// PEER and CHANNEL on the wire, as libzmq 4.3.5's source defines them (zeromq.js cannot reach
/// them): READY carries Socket-Type "PEER"/"CHANNEL" (socket_base.cpp's names), each accepts only
/// its own type, and a message is one ZMTP frame.
/// </summary>
public sealed class DraftWireTests
{
    [Theory]
    [InlineData(SocketType.Peer, "PEER")]
    [InlineData(SocketType.Channel, "CHANNEL")]
    [InlineData(SocketType.Server, "SERVER")]
    [InlineData(SocketType.Scatter, "SCATTER")]
    public void Ready_names_the_type_and_a_message_is_one_frame(SocketType type, string wireName)
    {
        using var scope = new SocketScope();
        var ours = scope.Create(type);
        ours.Bind("tcp://127.0.0.1:*");
        using var raw = RawPeer.Connect(ours.LastEndpoint!);
        string peerType = wireName switch { "SERVER" => "CLIENT", "SCATTER" => "GATHER", _ => wireName };
        var props = raw.Handshake(peerType);
        Assert.Equal(wireName, System.Text.Encoding.ASCII.GetString(props["Socket-Type"]));
        if (type == SocketType.Scatter)
        {
            ours.SendString("one frame");
            var (flags, body) = raw.ReadFrame();
            Assert.Equal(0, flags); // no MORE, no command
            Assert.Equal("one frame", System.Text.Encoding.UTF8.GetString(body));
        }
    }

    [Fact]
    public void A_peer_of_another_type_is_refused_at_the_handshake()
    {
        using var scope = new SocketScope();
        var peer = scope.Create(SocketType.Peer);
        peer.Bind("tcp://127.0.0.1:*");
        using var raw = RawPeer.Connect(peer.LastEndpoint!);
        raw.Send(RawPeer.Greeting(), RawPeer.Ready("PAIR"));
        raw.ExpectClosed();
    }
}
