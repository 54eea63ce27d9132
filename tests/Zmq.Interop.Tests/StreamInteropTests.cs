namespace Zmq.Interop.Tests;

/// <summary>STREAM against libzmq 4.3.5's ZMQ_STREAM through zeromq.js: raw bytes both ways, notices, close by an empty frame, each side binding.</summary>
public sealed class StreamInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static byte[] ReceiveNotice(StreamSocket s)
    {
        using var m = s.Receive();
        Assert.Equal(2, m.Count);
        Assert.Equal(0, m.GetSpan(1).Length);
        return m.ToArray(0);
    }

    private static string ReceiveText(StreamSocket s, byte[] id, int expected)
    {
        var text = "";
        while (text.Length < expected)
        {
            using var m = s.Receive();
            Assert.Equal(id, m.ToArray(0));
            Assert.NotEqual(0, m.GetSpan(1).Length);
            text += m.GetString(1);
        }
        return text;
    }

    [SkippableFact]
    public void Their_stream_connects_to_ours_and_closes_with_an_empty_frame()
    {
        NodePeer.Require();
        using var ours = new StreamSocket { Linger = TimeSpan.Zero, ReceiveTimeout = Wait, SendTimeout = Wait };
        string ep = TestPorts.BindLoopback(e => ours.Bind(e));
        using var node = NodePeer.Start($$"""
            const s = new zmq.Stream(); s.connect("{{ep}}");
            const [id, hello] = await s.receive(); out("notice " + hello.length);
            await s.send([id, "hello from libzmq"]);
            let got = ""; while (got.length < 9) { const [, d] = await s.receive(); got += d.toString(); }
            out(got);
            await s.send([id, ""]); out("closed");
            await new Promise((r) => setTimeout(r, 200)); s.close();
            """);
        var id = ReceiveNotice(ours);
        node.Expect("notice 0");
        Assert.Equal("hello from libzmq", ReceiveText(ours, id, 17));
        ours.Send(id, "hi libzmq"u8);
        node.Expect("hi libzmq");
        node.Expect("closed");
        Assert.Equal(id, ReceiveNotice(ours)); // their close is our disconnect notice
    }

    [SkippableFact]
    public void Our_stream_connects_to_theirs_with_a_connect_routing_id()
    {
        NodePeer.Require();
        int port = TestPorts.Next();
        using var node = NodePeer.Start($$"""
            const s = new zmq.Stream(); await s.bind("tcp://127.0.0.1:{{port}}"); out("ready");
            const [id, n] = await s.receive(); out("notice " + n.length);
            let got = ""; while (got.length < 4) { const [, d] = await s.receive(); got += d.toString(); }
            out(got);
            await s.send([id, "pong"]);
            const [, end] = await s.receive(); out("end " + end.length);
            s.close();
            """);
        node.Expect("ready");
        using var ours = new StreamSocket { Linger = TimeSpan.Zero, ReceiveTimeout = Wait, SendTimeout = Wait };
        ours.ConnectRoutingId = "to-libzmq"u8.ToArray();
        var id = ours.ConnectPeer($"tcp://127.0.0.1:{port}");
        Assert.Equal("to-libzmq"u8.ToArray(), id);
        Assert.Equal(id, ReceiveNotice(ours));
        node.Expect("notice 0");
        ours.Send(id, "ping"u8);
        node.Expect("ping");
        Assert.Equal("pong", ReceiveText(ours, id, 4));
        ours.Close(id);
        node.Expect("end 0"); // libzmq announces our close as its disconnect notice
    }
}
