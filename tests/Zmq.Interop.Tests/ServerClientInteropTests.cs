namespace Zmq.Interop.Tests;

/// <summary>SERVER and CLIENT (draft) against libzmq 4.3.5 through zeromq.js: each of ours with theirs, each side binding.</summary>
public sealed class ServerClientInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public void Our_bound_server_answers_their_client()
    {
        NodePeer.Require();
        using var server = new ServerSocket { Linger = TimeSpan.Zero, ReceiveTimeout = Wait };
        string ep = TestPorts.BindLoopback(e => server.Bind(e));
        using var node = NodePeer.Start($$"""
            const c = new draft.Client(); c.connect("{{ep}}");
            for (let i = 0; i < 3; i++) { await c.send("hello " + i); const [r] = await c.receive(); out(r.toString()); }
            c.close();
            """);
        for (int i = 0; i < 3; i++)
        {
            using var m = server.Receive();
            Assert.NotEqual(0u, m.RoutingId);
            server.SendString(m.RoutingId, "re: " + m.GetString(0));
        }
        for (int i = 0; i < 3; i++) node.Expect($"re: hello {i}");
    }

    [SkippableFact]
    public void Our_client_talks_to_their_bound_server_which_replies_by_routing_id()
    {
        NodePeer.Require();
        int port = TestPorts.Next();
        using var node = NodePeer.Start($$"""
            const s = new draft.Server(); await s.bind("tcp://127.0.0.1:{{port}}"); out("ready");
            for (let i = 0; i < 2; i++) { const [m, { routingId }] = await s.receive(); await s.send("re: " + m.toString(), { routingId }); out("id " + (routingId > 0)); }
            s.close();
            """);
        node.Expect("ready");
        using var client = new ClientSocket($">tcp://127.0.0.1:{port}") { Linger = TimeSpan.Zero, ReceiveTimeout = Wait };
        for (int i = 0; i < 2; i++)
        {
            client.SendString($"q{i}");
            Assert.Equal($"re: q{i}", client.ReceiveString());
        }
        node.Expect("id true");
    }

    [SkippableFact]
    public void Our_server_connects_to_their_bound_client()
    {
        NodePeer.Require();
        int port = TestPorts.Next();
        using var node = NodePeer.Start($$"""
            const c = new draft.Client(); await c.bind("tcp://127.0.0.1:{{port}}"); out("ready");
            await c.send("from a bound client"); const [r] = await c.receive(); out(r.toString()); c.close();
            """);
        node.Expect("ready");
        using var server = new ServerSocket($">tcp://127.0.0.1:{port}") { Linger = TimeSpan.Zero, ReceiveTimeout = Wait };
        using var m = server.Receive();
        Assert.Equal("from a bound client", m.GetString(0));
        server.SendString(m.RoutingId, "answered");
        node.Expect("answered");
    }

    [SkippableFact]
    public void Their_server_connects_to_our_bound_client()
    {
        NodePeer.Require();
        using var client = new ClientSocket { Linger = TimeSpan.Zero, ReceiveTimeout = Wait, SendTimeout = Wait };
        string ep = TestPorts.BindLoopback(e => client.Bind(e));
        using var node = NodePeer.Start($$"""
            const s = new draft.Server(); s.connect("{{ep}}");
            const [m, { routingId }] = await s.receive(); await s.send("back: " + m.toString(), { routingId }); out("sent"); 
            await new Promise((r) => setTimeout(r, 200)); s.close();
            """);
        client.SendString("to a connecting server");
        Assert.Equal("back: to a connecting server", client.ReceiveString());
        node.Expect("sent");
    }
}
