using System.Net;
using System.Net.Sockets;
using System.Text;
using static Zmq.Cli.Doctor.Probe;

namespace Zmq.Cli.Doctor;

/// <summary>
/// The self-checks of <c>zmq doctor</c>: every socket pattern over tcp on 127.0.0.1, each with its
/// own sockets on ephemeral ports, each bounded in time (see <see cref="Probe"/>).
/// </summary>
internal static class SelfChecks
{
    public static IReadOnlyList<Check> All() =>
    [
        new("PUSH->PULL tcp", PushPull),
        new("PUSH->PULL multipart (3 frames)", PushPullMultipart),
        new("PUSH->PULL 1 MiB message", PushPullLarge),
        new("PUSH->PULL, PUSH binds", PushBindsPullConnects),
        new("PUSH->PULL, connect before bind", ConnectBeforeBind),
        new("REQ<->REP round trips", ReqRep),
        new("REQ<->ROUTER", ReqRouter),
        new("DEALER<->ROUTER routing id", DealerRouterIdentity),
        new("DEALER<->ROUTER generated id", DealerRouterGeneratedId),
        new("DEALER<->REP", DealerRep),
        new("DEALER<->DEALER", DealerDealer),
        new("PAIR<->PAIR both ways", PairPair),
        new("PUB->SUB prefix filter", PubSub),
        new("XPUB<->XSUB subscribe, data, cancel", XPubXSub),
        new("PUSH->DEALER refused (incompatible)", () => Incompatible(new DealerSocket(), new PushSocket())),
        new("PAIR->PULL refused (incompatible)", () => Incompatible(new PullSocket(), new PairSocket())),
        new("bind to a port in use is refused", BindInUse),
    ];

    private static void PushPull()
    {
        using var pull = Open(new PullSocket(), Any);
        using var push = Open(new PushSocket(), ConnectTo(pull));
        push.SendString("hello");
        Expect(pull, "hello");
    }

    private static void PushPullMultipart()
    {
        using var pull = Open(new PullSocket(), Any);
        using var push = Open(new PushSocket(), ConnectTo(pull));
        push.SendFrames("first", "", "third");
        push.SendString("after");
        Expect(pull, "first", "", "third");
        Expect(pull, "after");
    }

    private static void PushPullLarge()
    {
        var body = new byte[1024 * 1024];
        new Random(20240601).NextBytes(body);
        using var pull = Open(new PullSocket(), Any);
        using var push = Open(new PushSocket(), ConnectTo(pull));
        push.Send(body);
        using var m = Receive(pull);
        if (m.Count != 1) throw new CheckFailed($"expected 1 frame, received {m.Count}");
        var got = m.GetSpan(0);
        if (got.Length != body.Length) throw new CheckFailed($"expected {body.Length} bytes, received {got.Length}");
        int diff = got.CommonPrefixLength(body);
        if (diff != body.Length) throw new CheckFailed($"the 1 MiB body differs from byte {diff} on");
    }

    private static void PushBindsPullConnects()
    {
        using var push = Open(new PushSocket(), Any);
        using var pull = Open(new PullSocket(), ConnectTo(push));
        push.SendString("reversed");
        Expect(pull, "reversed");
    }

    private static void ConnectBeforeBind()
    {
        int port = FreePort();
        using var push = Open(new PushSocket(), $">tcp://127.0.0.1:{port}");
        push.SendString("queued before the bind"); // the connect-side peer queues it (IMMEDIATE=0)
        Thread.Sleep(60); // let at least one connect attempt fail first
        using var pull = Open(new PullSocket(), $"@tcp://127.0.0.1:{port}");
        Expect(pull, "queued before the bind");
    }

    private static void ReqRep()
    {
        using var rep = Open(new RepSocket(), Any);
        using var req = Open(new ReqSocket(), ConnectTo(rep));
        for (int i = 0; i < 3; i++)
        {
            req.SendString($"ping {i}");
            Expect(rep, $"ping {i}");
            rep.SendString($"pong {i}");
            Expect(req, $"pong {i}");
        }
    }

    private static void ReqRouter()
    {
        using var router = Open(new RouterSocket(), Any);
        using var req = Open(new ReqSocket(), ConnectTo(router));
        req.SendString("ping");
        byte[] id;
        using (var m = Receive(router))
        {
            if (m.Count != 3 || m.GetSpan(1).Length != 0 || m.GetString(2) != "ping")
                throw new CheckFailed($"ROUTER expected [id, '', 'ping'] from REQ, received {Show(m)}");
            id = m.ToArray(0);
        }
        router.SendFrames(id, [], Encoding.UTF8.GetBytes("pong"));
        Expect(req, "pong");
    }

    private static void DealerRouterIdentity()
    {
        var id = Encoding.UTF8.GetBytes("doctor-dealer");
        using var router = Open(new RouterSocket(), Any);
        using var dealer = new DealerSocket { RoutingId = id };
        Open(dealer, ConnectTo(router));
        dealer.SendString("to router");
        Expect(router, "doctor-dealer", "to router");
        router.SendFrames(id, Encoding.UTF8.GetBytes("to dealer"));
        Expect(dealer, "to dealer");
    }

    private static void DealerRouterGeneratedId()
    {
        using var router = Open(new RouterSocket(), Any);
        using var dealer = Open(new DealerSocket(), ConnectTo(router));
        dealer.SendString("who am I");
        byte[] id;
        using (var m = Receive(router))
        {
            if (m.Count != 2 || m.GetString(1) != "who am I")
                throw new CheckFailed($"ROUTER expected [id, 'who am I'], received {Show(m)}");
            id = m.ToArray(0);
        }
        if (id.Length == 0 || id[0] != 0)
            throw new CheckFailed($"a generated routing id should start with a zero byte, got 0x{Convert.ToHexString(id)}");
        router.SendFrames(id, Encoding.UTF8.GetBytes("you are " + Convert.ToHexString(id)));
        Expect(dealer, "you are " + Convert.ToHexString(id));
    }

    private static void DealerRep()
    {
        using var rep = Open(new RepSocket(), Any);
        using var dealer = Open(new DealerSocket(), ConnectTo(rep));
        dealer.SendFrames("", "ping");
        Expect(rep, "ping");
        rep.SendString("pong");
        Expect(dealer, "", "pong");
    }

    private static void DealerDealer()
    {
        using var a = Open(new DealerSocket(), Any);
        using var b = Open(new DealerSocket(), ConnectTo(a));
        b.SendFrames("b", "to a");
        Expect(a, "b", "to a");
        a.SendString("to b");
        Expect(b, "to b");
    }

    private static void PairPair()
    {
        using var a = Open(new PairSocket(), Any);
        using var b = Open(new PairSocket(), ConnectTo(a));
        b.SendString("b to a");
        Expect(a, "b to a");
        a.SendString("a to b");
        Expect(b, "a to b");
    }

    private static void PubSub()
    {
        using var pub = Open(new PubSocket(), Any);
        using var sub = Open(new SubSocket(), ConnectTo(pub));
        sub.Subscribe("weather.");
        // A subscription takes a moment to reach the publisher: publish until one arrives.
        Settle(() => pub.SendString("weather.settle"), sub, "weather.");
        pub.SendString("sports.score");  // must be filtered out
        pub.SendString("weather.today");
        Drain(sub, "weather.settle", "weather.today", "SUB subscribed to 'weather.' only");
    }

    private static void XPubXSub()
    {
        using var xpub = Open(new XPubSocket(), Any);
        using var xsub = Open(new XSubSocket(), ConnectTo(xpub));
        xsub.Send([1, .. "news."u8]);
        Expect(xpub, "\u0001news.");
        xpub.SendString("sport.result"); // not subscribed
        xpub.SendString("news.flash");
        Drain(xsub, null, "news.flash", "XSUB subscribed to 'news.' only");
        xsub.Send([0, .. "news."u8]);
        Expect(xpub, "\0news.");
    }

    /// <summary>An incompatible pair must refuse the handshake: nothing sent is delivered.</summary>
    private static void Incompatible(Socket receiver, Socket sender)
    {
        using var r = Open(receiver, Any);
        using var s = Open(sender, ConnectTo(r));
        if (!s.TrySend("must not arrive"u8, Wait))
            return; // the sender would not even queue it: nothing can be delivered
        Nothing(r, $"{sender} and {receiver} are not a valid pair (the handshake must be refused)");
    }

    /// <summary>A second bind to a bound port must fail (libzmq: EADDRINUSE), not silently share the port.</summary>
    private static void BindInUse()
    {
        using var first = Open(new PullSocket(), Any);
        PullSocket second;
        try
        {
            second = Open(new PullSocket(), "@" + first.LastEndpoint);
        }
        catch (ZmqException e) when (e.Error == ZmqError.AddressInUse)
        {
            return;
        }
        second.Dispose();
        throw new CheckFailed($"a second bind to {first.LastEndpoint} succeeded: two sockets share the port (expected AddressInUse)");
    }

    /// <summary>Sends with <paramref name="publish"/> every 50 ms until <paramref name="sub"/> receives a message starting with <paramref name="prefix"/>.</summary>
    private static void Settle(Action publish, Socket sub, string prefix)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            publish();
            if (sub.TryReceive(TimeSpan.FromMilliseconds(50), out var m))
            {
                using (m)
                {
                    if (!m.GetString(0).StartsWith(prefix, StringComparison.Ordinal))
                        throw new CheckFailed($"{sub} received {Show(m)}, which does not match its subscription '{prefix}'");
                }
                return;
            }
        }
        throw new CheckFailed($"{sub} received nothing within {Wait.TotalSeconds:0} s of publishing (subscription not applied?)");
    }

    /// <summary>Receives until <paramref name="last"/>, allowing only repeats of <paramref name="repeat"/> before it.</summary>
    private static void Drain(Socket sub, string? repeat, string last, string why)
    {
        while (true)
        {
            using var m = Receive(sub);
            var text = m.Count == 1 ? m.GetString(0) : null;
            if (text == last) return;
            if (text is null || text != repeat)
                throw new CheckFailed($"{sub} received {Show(m)}, but {why}");
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
