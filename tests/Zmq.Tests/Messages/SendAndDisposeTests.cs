using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Messages;

/// <summary>SendAndDispose: the message is taken over (no copy where it goes whole to one peer) and disposed; a send that did not happen leaves it to the caller.</summary>
public sealed class SendAndDisposeTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    private static Message Build(params string[] frames)
    {
        var m = Message.Rent();
        foreach (var f in frames) m.Add(f);
        return m;
    }

    [Theory]
    [InlineData("inproc://take-over")]
    [InlineData("tcp://127.0.0.1:*")]
    [InlineData("ipc://*")]
    public void PushPull_TheMessageArrives_AndIsDisposed(string endpoint)
    {
        var pull = S.Pull();
        pull.Bind(endpoint);
        var push = S.Push();
        push.Connect(pull.LastEndpoint!);
        for (int i = 0; i < 100; i++)
        {
            var m = Build("a" + i, "b" + i);
            push.SendAndDispose(m);
            Assert.Throws<ObjectDisposedException>(() => m.Count);
        }
        for (int i = 0; i < 100; i++) Assert.Equal(["a" + i, "b" + i], pull.ReceiveStrings());
    }

    [Fact]
    public void Inproc_TheReceiverGetsTheVeryBufferThatWasWritten()
    {
        var pull = S.Pull();
        pull.Bind("inproc://same-bytes");
        var push = S.Push();
        push.Connect("inproc://same-bytes");
        var m = Message.Rent();
        var frame = m.AddFrame(64 * 1024);
        frame.Fill(7);
        frame[^1] = 42;
        push.SendAndDispose(m);
        using var got = pull.Receive();
        Assert.Equal(64 * 1024, got.GetSpan(0).Length);
        Assert.Equal(42, got.GetSpan(0)[^1]);
        Assert.Equal(7, got.GetSpan(0)[1000]);
    }

    [Fact]
    public void AReceivedMessage_CanBeForwarded_WithoutACopy()
    {
        var front = S.Pull();
        front.Bind("inproc://front");
        var back = S.Pull();
        back.Bind("inproc://back");
        var producer = S.Push();
        producer.Connect("inproc://front");
        var forwarder = S.Push();
        forwarder.Connect("inproc://back");
        producer.SendFrames("x"u8.ToArray(), "y"u8.ToArray());
        forwarder.SendAndDispose(front.Receive());
        Assert.Equal(["x", "y"], back.ReceiveStrings());
    }

    [Fact]
    public void NotSent_TheMessageStaysTheCallers()
    {
        var push = S.Push(); // no peer: a send cannot happen
        var m = Build("kept");
        Assert.False(push.TrySendAndDispose(m, TimeSpan.Zero));
        Assert.False(push.TrySendAndDispose(m, TimeSpan.FromMilliseconds(20)));
        Assert.Equal("kept", m.GetString(0));
        push.SendTimeout = TimeSpan.FromMilliseconds(20);
        Assert.Throws<ZmqTimeoutException>(() => push.SendAndDispose(m));
        Assert.Equal("kept", m.GetString(0));
        m.Dispose();
    }

    [Fact]
    public void RouterReqAndPub_CopyWhereTheMessageChangesOrFansOut()
    {
        var router = S.Router();
        router.Bind("inproc://r");
        var dealer = S.Dealer();
        dealer.RoutingId = "d"u8.ToArray();
        dealer.Connect("inproc://r");
        dealer.SendAndDispose(Build("hi"));
        var got = router.ReceiveFrames();
        router.SendAndDispose(Build("d", "back"));
        Assert.Equal("back", dealer.ReceiveString());
        Assert.Equal("hi"u8.ToArray(), got[1]);

        var rep = S.Rep();
        rep.Bind("inproc://rr");
        var req = S.Req();
        req.Connect("inproc://rr");
        req.SendAndDispose(Build("q"));
        Assert.Equal("q", rep.ReceiveString());
        rep.SendAndDispose(Build("a"));
        Assert.Equal("a", req.ReceiveString());

        var pub = S.Pub();
        pub.Bind("inproc://p");
        var subs = Enumerable.Range(0, 3).Select(_ =>
        {
            var sub = S.Sub();
            sub.Subscribe("");
            sub.Connect("inproc://p");
            return sub;
        }).ToArray();
        Wait.Until(() =>
        {
            pub.SendAndDispose(Build("probe"));
            return subs.All(s => s.TryReceive(TimeSpan.FromMilliseconds(20), out var m) && Dispose(m));
        }, "every subscriber to be attached");
        pub.SendAndDispose(Build("all"));
        foreach (var sub in subs)
        {
            string text;
            do text = sub.ReceiveString(); while (text == "probe");
            Assert.Equal("all", text);
        }
    }

    private static bool Dispose(Message? m)
    {
        m?.Dispose();
        return true;
    }
}
