namespace Zmq.Toolkit.Tests;

/// <summary>zproxy: the command set on the actor's pipe, each answered with a signal; bad commands refused with a reason.</summary>
public sealed class ProxyActorTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);
    private readonly Context _context = new();
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _context.Dispose();
    }

    private T Own<T>(T d) where T : IDisposable
    {
        _owned.Add(d);
        if (d is Socket s)
        {
            s.Linger = TimeSpan.Zero;
            s.ReceiveTimeout = Long;
            s.SendTimeout = Long;
        }
        return d;
    }

    private static string Inproc(string tag) => $"inproc://{tag}-{Guid.NewGuid():N}";

    [Fact]
    public void Forwards_pauses_resumes_and_captures_as_zproxy()
    {
        string front = Inproc("front"), back = Inproc("back"), cap = Inproc("cap");
        var captured = Own(new PullSocket(context: _context));
        captured.Bind(cap);
        var proxy = Own(new ProxyActor(_context));
        proxy.Frontend(SocketType.Pull, "@" + front);
        proxy.Capture(cap);
        proxy.Backend(SocketType.Push, "@" + back);
        var faucet = Own(new PushSocket(context: _context));
        faucet.Connect(front);
        var sink = Own(new PullSocket(context: _context));
        sink.Connect(back);

        faucet.SendFrames("Hello", "World");
        Assert.Equal(["Hello", "World"], sink.ReceiveStrings());
        Assert.Equal(["Hello", "World"], captured.ReceiveStrings());

        proxy.Pause();
        faucet.SendFrames("Paused", "1");
        Assert.False(sink.TryReceive(TimeSpan.FromMilliseconds(100), out _), "a message passed a paused proxy");
        proxy.Resume();
        Assert.Equal(["Paused", "1"], sink.ReceiveStrings());

        var stats = proxy.Statistics();
        Assert.Equal(2, stats.Frontend.MessagesReceived);
        Assert.Equal(2, stats.Backend.MessagesSent);
        Assert.Equal(17, stats.Frontend.BytesReceived); // "Hello" "World", "Paused" "1"
    }

    [Fact]
    public void The_raw_command_set_works_on_the_pipe()
    {
        string front = Inproc("front"), back = Inproc("back");
        var proxy = Own(new ProxyActor(_context));
        var pipe = proxy.Actor.Pipe;
        pipe.SendFrames("VERBOSE");
        Assert.Equal(0, pipe.WaitSignal(Long));
        pipe.SendFrames("FRONTEND", "ROUTER", "@" + front);
        Assert.Equal(0, pipe.WaitSignal(Long));
        pipe.SendFrames("BACKEND", "DEALER", "@" + back);
        Assert.Equal(0, pipe.WaitSignal(Long));
        var worker = Own(new RepSocket(context: _context));
        worker.Connect(back);
        var client = Own(new ReqSocket(context: _context));
        client.Connect(front);
        client.SendString("ping");
        Assert.Equal("ping", worker.ReceiveString());
        worker.SendString("pong");
        Assert.Equal("pong", client.ReceiveString());
    }

    [Fact]
    public void Bad_commands_are_refused_with_their_reason_and_the_actor_goes_on()
    {
        var proxy = Own(new ProxyActor(_context));
        var e = Assert.Throws<InvalidOperationException>(() => proxy.Frontend((SocketType)99, "@" + Inproc("x")));
        Assert.Contains("unknown socket type", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => proxy.Curve(ProxySide.Backend, "short", "keys"));
        Assert.Contains("CURVE", e.Message);
        var pipe = proxy.Actor.Pipe;
        pipe.SendFrames("DOMAIN", "SIDEWAYS", "x");
        Assert.Equal(1, pipe.WaitSignal(Long));
        pipe.SendFrames("FROB");
        Assert.Equal(1, pipe.WaitSignal(Long));
        string front = Inproc("front");
        proxy.Frontend(SocketType.Pull, "@" + front);
        e = Assert.Throws<InvalidOperationException>(() => proxy.Frontend(SocketType.Pull, "@" + Inproc("again")));
        Assert.Contains("exists already", e.Message);
    }

    [Fact]
    public void A_curve_frontend_with_an_authenticator_in_the_context()
    {
        using var auth = new Authenticator(_context);
        auth.ConfigureCurveAllowAny();
        var server = CurveKeyPair.Generate();
        var proxy = Own(new ProxyActor(_context));
        proxy.Curve(ProxySide.Frontend, server.PublicKeyZ85, server.SecretKeyZ85);
        proxy.Domain(ProxySide.Frontend, "global");
        string front = $"tcp://127.0.0.1:{Zmq.Tests.Infrastructure.Ports.Free()}";
        proxy.Frontend(SocketType.Pull, "@" + front);
        string back = Inproc("back");
        proxy.Backend(SocketType.Push, "@" + back);
        var sink = Own(new PullSocket(context: _context));
        sink.Connect(back);

        var plain = Own(new PushSocket(context: _context));
        plain.Connect(front); // no CURVE: never gets through
        plain.TrySend("not secure"u8);
        var client = Own(new PushSocket(context: _context));
        client.MakeCurveClient(server.PublicKey);
        client.Connect(front);
        client.SendString("secure");
        Assert.Equal("secure", sink.ReceiveString());
        Assert.False(sink.TryReceive(TimeSpan.FromMilliseconds(100), out _), "a NULL peer got through a CURVE frontend");
        Assert.True(auth.Allowed >= 1);
    }
}
