namespace Zmq.Interop.Tests;

/// <summary>SCATTER and GATHER (draft) against libzmq 4.3.5 through zeromq.js, each side binding.</summary>
public sealed class ScatterGatherInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public void Our_scatter_to_their_gather()
    {
        NodePeer.Require();
        using var scatter = new ScatterSocket { Linger = TimeSpan.FromSeconds(2), SendTimeout = Wait };
        string ep = TestPorts.BindLoopback(e => scatter.Bind(e));
        using var node = NodePeer.Start($$"""
            const g = new draft.Gather(); g.connect("{{ep}}");
            let got = []; for (let i = 0; i < 5; i++) { const [m] = await g.receive(); got.push(m.toString()); }
            out(got.join(",")); g.close();
            """);
        for (int i = 0; i < 5; i++) scatter.SendString($"m{i}");
        node.Expect("m0,m1,m2,m3,m4");
    }

    [SkippableFact]
    public void Their_scatter_to_our_gather()
    {
        NodePeer.Require();
        int port = TestPorts.Next();
        using var node = NodePeer.Start($$"""
            const s = new draft.Scatter(); await s.bind("tcp://127.0.0.1:{{port}}"); out("ready");
            for (let i = 0; i < 5; i++) await s.send("n" + i);
            await new Promise((r) => setTimeout(r, 500)); s.close();
            """);
        node.Expect("ready");
        using var gather = new GatherSocket($">tcp://127.0.0.1:{port}") { ReceiveTimeout = Wait, Linger = TimeSpan.Zero };
        for (int i = 0; i < 5; i++) Assert.Equal($"n{i}", gather.ReceiveString());
    }
}
