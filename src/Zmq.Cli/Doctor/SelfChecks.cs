using System.Text;
using static Zmq.Cli.Doctor.Probe;

namespace Zmq.Cli.Doctor;

/// <summary>
/// The self-checks of <c>zmq doctor</c>: every socket pattern over each transport (tcp on
/// 127.0.0.1, ipc on Unix domain sockets in the temp directory, inproc), each check with its own
/// sockets on fresh addresses, each bounded in time (see <see cref="Probe"/>). Checks about the
/// wire (a handshake refusing an incompatible type) become their inproc equivalent (Connect
/// refuses it with NotSupported), and "address in use" is a port, a path or a name.
/// </summary>
internal static class SelfChecks
{
    private sealed record Pattern(string Name, Action<DoctorTransport> Run);

    private static readonly Pattern[] s_patterns =
    [
        new("PUSH->PULL", PushPull),
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
        new("PUSH->DEALER refused (incompatible)", t => Incompatible(t, new DealerSocket(), new PushSocket())),
        new("PAIR->PULL refused (incompatible)", t => Incompatible(t, new PullSocket(), new PairSocket())),
        new("bind to an address in use is refused", BindInUse),
    ];

    /// <summary>Every pattern over every transport, grouped by pattern (tcp, ipc, inproc next to each other).</summary>
    public static IReadOnlyList<Check> All() =>
        [.. s_patterns.SelectMany(p => DoctorTransport.All.Select(t => new Check(p.Name, t.Name, () => p.Run(t))))];

    private static void PushPull(DoctorTransport t)
    {
        using var pull = Open(new PullSocket(), Any(t));
        using var push = Open(new PushSocket(), ConnectTo(pull));
        push.SendString("hello");
        Expect(pull, "hello");
    }

    private static void PushPullMultipart(DoctorTransport t)
    {
        using var pull = Open(new PullSocket(), Any(t));
        using var push = Open(new PushSocket(), ConnectTo(pull));
        push.SendFrames("first", "", "third");
        push.SendString("after");
        Expect(pull, "first", "", "third");
        Expect(pull, "after");
    }

    private static void PushPullLarge(DoctorTransport t)
    {
        var body = new byte[1024 * 1024];
        new Random(20240601).NextBytes(body);
        using var pull = Open(new PullSocket(), Any(t));
        using var push = Open(new PushSocket(), ConnectTo(pull));
        push.Send(body);
        using var m = Receive(pull);
        if (m.Count != 1) throw new CheckFailed($"expected 1 frame, received {m.Count}");
        var got = m.GetSpan(0);
        if (got.Length != body.Length) throw new CheckFailed($"expected {body.Length} bytes, received {got.Length}");
        int diff = got.CommonPrefixLength(body);
        if (diff != body.Length) throw new CheckFailed($"the 1 MiB body differs from byte {diff} on");
    }

    private static void PushBindsPullConnects(DoctorTransport t)
    {
        using var push = Open(new PushSocket(), Any(t));
        using var pull = Open(new PullSocket(), ConnectTo(push));
        push.SendString("reversed");
        Expect(pull, "reversed");
    }

    private static void ConnectBeforeBind(DoctorTransport t)
    {
        var endpoint = t.NewFixed();
        using var push = Open(new PushSocket(), ">" + endpoint);
        push.SendString("queued before the bind"); // the connect-side peer queues it (IMMEDIATE=0)
        if (t.HasWire) Thread.Sleep(60); // let at least one connect attempt fail first (inproc: the connect just waits for the bind)
        using var pull = Open(new PullSocket(), "@" + endpoint);
        Expect(pull, "queued before the bind");
    }

    private static void ReqRep(DoctorTransport t)
    {
        using var rep = Open(new RepSocket(), Any(t));
        using var req = Open(new ReqSocket(), ConnectTo(rep));
        for (int i = 0; i < 3; i++)
        {
            req.SendString($"ping {i}");
            Expect(rep, $"ping {i}");
            rep.SendString($"pong {i}");
            Expect(req, $"pong {i}");
        }
    }

    private static void ReqRouter(DoctorTransport t)
    {
        using var router = Open(new RouterSocket(), Any(t));
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

    private static void DealerRouterIdentity(DoctorTransport t)
    {
        var id = Encoding.UTF8.GetBytes("doctor-dealer");
        using var router = Open(new RouterSocket(), Any(t));
        using var dealer = new DealerSocket { RoutingId = id };
        Open(dealer, ConnectTo(router));
        dealer.SendString("to router");
        Expect(router, "doctor-dealer", "to router");
        router.SendFrames(id, Encoding.UTF8.GetBytes("to dealer"));
        Expect(dealer, "to dealer");
    }

    private static void DealerRouterGeneratedId(DoctorTransport t)
    {
        using var router = Open(new RouterSocket(), Any(t));
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

    private static void DealerRep(DoctorTransport t)
    {
        using var rep = Open(new RepSocket(), Any(t));
        using var dealer = Open(new DealerSocket(), ConnectTo(rep));
        dealer.SendFrames("", "ping");
        Expect(rep, "ping");
        rep.SendString("pong");
        Expect(dealer, "", "pong");
    }

    private static void DealerDealer(DoctorTransport t)
    {
        using var a = Open(new DealerSocket(), Any(t));
        using var b = Open(new DealerSocket(), ConnectTo(a));
        b.SendFrames("b", "to a");
        Expect(a, "b", "to a");
        a.SendString("to b");
        Expect(b, "to b");
    }

    private static void PairPair(DoctorTransport t)
    {
        using var a = Open(new PairSocket(), Any(t));
        using var b = Open(new PairSocket(), ConnectTo(a));
        b.SendString("b to a");
        Expect(a, "b to a");
        a.SendString("a to b");
        Expect(b, "a to b");
    }

    private static void PubSub(DoctorTransport t)
    {
        using var pub = Open(new PubSocket(), Any(t));
        using var sub = Open(new SubSocket(), ConnectTo(pub));
        sub.Subscribe("weather.");
        // A subscription takes a moment to reach the publisher: publish until one arrives.
        Settle(() => pub.SendString("weather.settle"), sub, "weather.");
        pub.SendString("sports.score");  // must be filtered out
        pub.SendString("weather.today");
        Drain(sub, "weather.settle", "weather.today", "SUB subscribed to 'weather.' only");
    }

    private static void XPubXSub(DoctorTransport t)
    {
        using var xpub = Open(new XPubSocket(), Any(t));
        using var xsub = Open(new XSubSocket(), ConnectTo(xpub));
        xsub.Send([1, .. "news."u8]);
        Expect(xpub, "\u0001news.");
        xpub.SendString("sport.result"); // not subscribed
        xpub.SendString("news.flash");
        Drain(xsub, null, "news.flash", "XSUB subscribed to 'news.' only");
        xsub.Send([0, .. "news."u8]);
        Expect(xpub, "\0news.");
    }

    /// <summary>
    /// An incompatible pair must not talk. Over a wire the handshake is refused: nothing sent is
    /// delivered. inproc has no handshake: Connect to the bound socket refuses the pair at once.
    /// </summary>
    private static void Incompatible(DoctorTransport t, Socket receiver, Socket sender)
    {
        using var r = Open(receiver, Any(t));
        if (!t.HasWire)
        {
            using (sender)
            {
                try
                {
                    Open(sender, ConnectTo(r));
                }
                catch (ZmqException e) when (e.Error == ZmqError.NotSupported)
                {
                    return;
                }
                throw new CheckFailed($"{sender} connected to {receiver} over inproc (expected NotSupported: not a valid pair)");
            }
        }
        using var s = Open(sender, ConnectTo(r));
        s.Linger = TimeSpan.Zero; // its message is never delivered: do not wait for it at Dispose
        if (!s.TrySend("must not arrive"u8, Wait))
            return; // the sender would not even queue it: nothing can be delivered
        Nothing(r, $"{sender} and {receiver} are not a valid pair (the handshake must be refused)");
    }

    /// <summary>A second bind to a bound port, ipc path or inproc name must fail (libzmq: EADDRINUSE), not silently share it or take it over.</summary>
    private static void BindInUse(DoctorTransport t)
    {
        using var first = Open(new PullSocket(), Any(t));
        PullSocket second;
        try
        {
            second = Open(new PullSocket(), "@" + first.LastEndpoint);
        }
        catch (ZmqException e) when (e.Error == ZmqError.AddressInUse)
        {
            // The first socket must still own the address.
            using var push = Open(new PushSocket(), ConnectTo(first));
            push.SendString("still the first");
            Expect(first, "still the first");
            return;
        }
        second.Dispose();
        throw new CheckFailed($"a second bind to {first.LastEndpoint} succeeded: two sockets share the address (expected AddressInUse)");
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
}
