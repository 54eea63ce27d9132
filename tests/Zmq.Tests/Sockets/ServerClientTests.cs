using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Sockets;

/// <summary>SERVER/CLIENT (draft): routing ids on messages, replies to the right client, single frames only, either side binding, over every transport.</summary>
public sealed class ServerClientTests
{
    private static ServerSocket Server(SocketScope scope) => scope.Add(new ServerSocket(context: scope.Context));

    private static ClientSocket Client(SocketScope scope) => scope.Add(new ClientSocket(context: scope.Context));

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    [InlineData("ipc")]
    public void Each_client_gets_its_own_replies(string transport)
    {
        using var scope = new SocketScope();
        var server = Server(scope);
        server.Bind(Endpoints.BindAny(transport));
        var clients = Enumerable.Range(0, 3).Select(_ => { var c = Client(scope); c.Connect(server.LastEndpoint!); return c; }).ToList();
        var ids = new HashSet<uint>();
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < clients.Count; i++)
            {
                clients[i].SendString($"c{i}");
                using var request = server.Receive();
                Assert.NotEqual(0u, request.RoutingId);
                ids.Add(request.RoutingId);
                server.SendString(request.RoutingId, "re " + request.GetString(0));
            }
            for (int i = 0; i < clients.Count; i++) Assert.Equal($"re c{i}", clients[i].ReceiveString());
        }
        Assert.Equal(3, ids.Count); // one id per client, the same each round
    }

    [Fact]
    public void A_received_message_sent_back_goes_to_its_client()
    {
        using var scope = new SocketScope();
        var server = Server(scope);
        var ep = Endpoints.NewInproc();
        server.Bind(ep);
        var client = Client(scope);
        client.Connect(ep);
        client.SendString("echo me");
        var m = server.Receive();
        server.SendAndDispose(m); // its RoutingId still names the client
        Assert.Equal("echo me", client.ReceiveString());
    }

    [Fact]
    public void The_server_may_connect_to_a_binding_client()
    {
        using var scope = new SocketScope();
        var client = Client(scope);
        client.Bind("tcp://127.0.0.1:*");
        var server = Server(scope);
        server.Connect(client.LastEndpoint!);
        client.SendString("hi");
        using var m = server.Receive();
        server.SendString(m.RoutingId, "hello");
        Assert.Equal("hello", client.ReceiveString());
    }

    [Fact]
    public void Bad_use_is_a_clear_error_and_the_socket_goes_on()
    {
        using var scope = new SocketScope();
        var server = Server(scope);
        var ep = Endpoints.NewInproc();
        server.Bind(ep);
        var client = Client(scope);
        client.Connect(ep);
        var e = Assert.Throws<ZmqException>(() => client.SendFrames("a", "b"));
        Assert.Equal(ZmqError.InvalidMessage, e.Error);
        Assert.Contains("single-frame", e.Message);
        e = Assert.Throws<ZmqException>(() => server.SendString(12345, "to nobody"));
        Assert.Equal(ZmqError.HostUnreachable, e.Error);
        Assert.Contains("12345", e.Message);
        e = Assert.Throws<ZmqException>(() => server.SendString("no id"));
        Assert.Equal(ZmqError.HostUnreachable, e.Error);
        Assert.Contains("RoutingId", e.Message);
        client.SendString("still fine");
        using var m = server.Receive();
        Assert.Equal("still fine", m.GetString(0));
    }

    [Fact]
    public void Only_client_and_server_pair_up()
    {
        using var scope = new SocketScope();
        var server = Server(scope);
        server.Bind("tcp://127.0.0.1:*");
        var dealer = scope.Dealer();
        dealer.Connect(server.LastEndpoint!);
        dealer.SendString("wrong type");
        Assert.False(server.TryReceive(TimeSpan.FromMilliseconds(200), out _));
        Assert.Equal(SocketType.Server, Socket.Create(SocketType.Server, context: scope.Context).Type);
    }

    [Fact]
    public void Events_follow_the_rules()
    {
        using var scope = new SocketScope();
        var server = Server(scope);
        var ep = Endpoints.NewInproc();
        server.Bind(ep);
        var client = Client(scope);
        Assert.Equal(PollEvents.None, client.Events); // no server yet
        client.Connect(ep);
        Wait.Until(() => client.Events == PollEvents.Out, "the client can send");
        Assert.Equal(PollEvents.Out, server.Events);
        client.SendString("x");
        Wait.Until(() => server.Events == (PollEvents.In | PollEvents.Out), "the server has the message");
    }
}

/// <summary>PEER (draft): ConnectPeer returns the peer's routing id at once; both ends address each other by id.</summary>
public sealed class PeerTests
{
    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public void Connect_peer_returns_an_id_usable_at_once_and_replies_come_back_with_it(string transport)
    {
        using var scope = new SocketScope();
        var a = scope.Add(new PeerSocket(context: scope.Context));
        a.Bind(Endpoints.BindAny(transport));
        var b = scope.Add(new PeerSocket(context: scope.Context));
        uint toA = b.ConnectPeer(a.LastEndpoint!);
        Assert.NotEqual(0u, toA);
        b.SendString(toA, "queued before the handshake");
        using var m = a.Receive();
        Assert.Equal("queued before the handshake", m.GetString(0));
        a.SendString(m.RoutingId, "reply");
        using var r = b.Receive();
        Assert.Equal("reply", r.GetString(0));
        Assert.Equal(toA, r.RoutingId);
        Assert.Equal(ZmqError.HostUnreachable, Assert.Throws<ZmqException>(() => b.SendString(toA + 1, "nobody")).Error);
    }

    [Fact]
    public void Connect_peer_with_immediate_is_refused()
    {
        using var scope = new SocketScope();
        var p = scope.Add(new PeerSocket(context: scope.Context) { Immediate = true });
        var e = Assert.Throws<ZmqException>(() => p.ConnectPeer("tcp://127.0.0.1:5999"));
        Assert.Contains("IMMEDIATE", e.Message);
    }
}
