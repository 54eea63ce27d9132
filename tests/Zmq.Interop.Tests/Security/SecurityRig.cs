using Zmq.LibZmq;

namespace Zmq.Interop.Tests.Security;

/// <summary>
/// One test's world for the security interop tests: a context of our own (so that a ZAP handler
/// bound by one test never answers another test's sockets), a libzmq context, our sockets and
/// libzmq sockets with short, bounded options, monitors on either side, ZAP handlers on either
/// side, and the ipc files to remove. Disposing it closes everything in a safe order.
/// </summary>
internal sealed class SecurityRig : IDisposable
{
    /// <summary>How long a "nothing passes" check waits.</summary>
    public const int QuietMs = 300;

    /// <summary>HANDSHAKE_IVL on both sides: short, but long enough for a loaded CI machine.</summary>
    public const int HandshakeMs = 2000;

    private readonly List<IDisposable> _ours = [];
    private readonly List<IDisposable> _zapHandlers = [];
    private readonly List<string> _ipc = [];
    private readonly List<string> _dirs = [];

    public SecurityRig()
    {
        Context = new Context();
        Lz = new LzContext();
    }

    /// <summary>Our context: every socket of ours and any <see cref="Authenticator"/> of the test live here.</summary>
    public Context Context { get; }

    /// <summary>The libzmq context of the test (its sockets and its ZAP handler).</summary>
    public LzContext Lz { get; }

    /// <summary>Our socket of <paramref name="type"/> in <see cref="Context"/>, with short handshake, reconnect and linger.</summary>
    public OurSecureSide Ours(SocketType type) => Track(new OurSecureSide(Context, type));

    /// <summary>A libzmq socket of <paramref name="type"/> (LINGER 0, HANDSHAKE_IVL 2 s, RECONNECT_IVL 20 ms, 5 s timeouts).</summary>
    public LzSide Theirs(SocketType type)
    {
        var side = (LzSide)Side.Lz(Lz, type);
        side.Socket.SetOption(LzOption.HandshakeIvl, HandshakeMs);
        return side;
    }

    /// <summary>Binds a fresh tcp (loopback, ephemeral port) or ipc (new short path) address and returns the endpoint to connect to.</summary>
    public string Bind(Side side, string transport)
    {
        var endpoint = side.BindEphemeral(transport);
        if (transport == Transport.Ipc)
            _ipc.Add(endpoint);
        return endpoint;
    }

    /// <summary>A monitor of every event of our socket, disposed with the rig.</summary>
    public SocketMonitor Monitor(OurSecureSide side) => Track(side.Socket.Monitor());

    /// <summary>A libzmq monitor on <paramref name="side"/> (all events), read with <see cref="SecurityAssert.AwaitLz"/>.</summary>
    public static LzSocket Monitor(LzSide side)
    {
        var monitor = side.Socket.OpenMonitor();
        monitor.SetOption(LzOption.Linger, 0);
        return monitor;
    }

    /// <summary>Our ZAP handler, bound in <see cref="Context"/>.</summary>
    public Authenticator Authenticator() => Track(new Authenticator(Context));

    /// <summary>A libzmq ZAP handler (REP at inproc://zeromq.zap.01 in <see cref="Lz"/>) answering with <paramref name="decide"/>.</summary>
    public LzZapHandler LzZap(Func<LzZapRequest, LzZapReply> decide)
    {
        var handler = new LzZapHandler(Lz, decide);
        _zapHandlers.Add(handler);
        return handler;
    }

    /// <summary>A temporary directory removed with the rig.</summary>
    public string TempDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("zmq-sec-").FullName;
        _dirs.Add(dir);
        return dir;
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _ours.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        // Ours first, newest first (so an Authenticator outlives the sockets it answers), then
        // the libzmq ZAP threads (they use libzmq sockets), then the libzmq context, which closes the
        // libzmq sockets still open.
        for (var i = _ours.Count - 1; i >= 0; i--)
            _ours[i].Dispose();
        foreach (var handler in _zapHandlers)
            handler.Dispose();
        Lz.Dispose();
        Context.Dispose();
        foreach (var endpoint in _ipc)
            Transport.RemoveIpcFile(endpoint);
        foreach (var dir in _dirs)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>Our socket in the rig's context (so that its ZAP handler is the rig's), with the security tests' handshake interval.</summary>
internal sealed class OurSecureSide(Context context, SocketType type)
    : OurSide(type, context, TimeSpan.FromMilliseconds(SecurityRig.HandshakeMs))
{
    /// <summary>One message with the connection properties asked for (null where absent), or null when none arrived in time.</summary>
    public (byte[][] Frames, Dictionary<string, string?> Properties)? TryReceiveWithProperties(int timeoutMs, params string[] names)
    {
        if (!Socket.TryReceive(TimeSpan.FromMilliseconds(timeoutMs), out var message))
            return null;
        using (message)
        {
            var props = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in names)
                props[name] = message.GetProperty(name);
            return (message.ToArrays(), props);
        }
    }
}

/// <summary>Monitor and delivery assertions shared by the security tests.</summary>
internal static class SecurityAssert
{
    /// <summary>Reads our monitor until an event of <paramref name="type"/> arrives (others are collected into <paramref name="seen"/>).</summary>
    public static MonitorEvent Await(SocketMonitor monitor, MonitorEventType type, List<MonitorEvent>? seen = null, int timeoutMs = Side.WaitMs)
    {
        seen ??= [];
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            var left = deadline - Environment.TickCount64;
            if (left <= 0 || !monitor.TryRead(TimeSpan.FromMilliseconds(left), out var e))
                throw new Xunit.Sdk.XunitException($"our monitor: no {MonitorEvent.NameOf(type)} within {timeoutMs} ms; saw [{Names(seen)}]");
            seen.Add(e);
            if (e.Type == type)
                return e;
        }
    }

    /// <summary>Every event our monitor has queued now or reports within <paramref name="ms"/>.</summary>
    public static List<MonitorEvent> Drain(SocketMonitor monitor, int ms)
    {
        var seen = new List<MonitorEvent>();
        var deadline = Environment.TickCount64 + ms;
        while (true)
        {
            var left = deadline - Environment.TickCount64;
            MonitorEvent? e;
            var got = left > 0 ? monitor.TryRead(TimeSpan.FromMilliseconds(left), out e) : monitor.TryRead(out e);
            if (!got)
                return seen;
            seen.Add(e!);
        }
    }

    /// <summary>Reads a libzmq monitor until an event of <paramref name="lzEvent"/> arrives (others are collected into <paramref name="seen"/>).</summary>
    public static LzMonitorEvent AwaitLz(LzSocket monitor, int lzEvent, List<LzMonitorEvent>? seen = null, int timeoutMs = Side.WaitMs)
    {
        seen ??= [];
        monitor.SetOption(LzOption.RcvTimeo, 20);
        var deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            if (LzMonitorEvent.Receive(monitor) is not { } e)
                continue;
            seen.Add(e);
            if (e.Event == lzEvent)
                return e;
        }
        throw new Xunit.Sdk.XunitException($"libzmq monitor: no 0x{lzEvent:X4} within {timeoutMs} ms; saw [{Names(seen)}]");
    }

    /// <summary>Every event a libzmq monitor has queued now or reports within <paramref name="ms"/>.</summary>
    public static List<LzMonitorEvent> DrainLz(LzSocket monitor, int ms)
    {
        monitor.SetOption(LzOption.RcvTimeo, 20);
        var seen = new List<LzMonitorEvent>();
        var deadline = Environment.TickCount64 + ms;
        while (Environment.TickCount64 < deadline)
        {
            if (LzMonitorEvent.Receive(monitor) is { } e)
                seen.Add(e);
        }
        // Then what is already queued (bounded: a peer that keeps reconnecting never empties the queue).
        monitor.SetOption(LzOption.RcvTimeo, 0);
        for (var i = 0; i < 1000 && LzMonitorEvent.Receive(monitor) is { } queued; i++)
            seen.Add(queued);
        return seen;
    }

    /// <summary>Nothing arrives at <paramref name="receiver"/> within <see cref="SecurityRig.QuietMs"/> (while <paramref name="other"/> is pumped).</summary>
    public static void NothingArrives(Side receiver, string context, Side? other = null)
    {
        var deadline = Environment.TickCount64 + SecurityRig.QuietMs;
        while (Environment.TickCount64 < deadline)
        {
            other?.Pump();
            if (receiver.TryReceive(20) is { } got)
                Assert.Fail($"{context}: {receiver.Name} received {Frames.Show(got)}, but nothing may pass");
        }
    }

    /// <summary>Sends from a side that may have no usable peer yet: our sockets must not block (queued or dropped, either is fine).</summary>
    public static void SendIfPossible(Side sender, byte[] frame)
    {
        if (sender is OurSecureSide ours)
            ours.Socket.TrySend(frame, TimeSpan.FromMilliseconds(50));
        else
            ((LzSide)sender).Socket.Send(frame, LzFlags.DontWait);
    }

    /// <summary>The first events, for failure messages (a refused client retries every 20 ms, so lists grow long).</summary>
    public static string Names(IEnumerable<MonitorEvent> events) => Cap(events.Select(e => e.ToString()));

    public static string Names(IEnumerable<LzMonitorEvent> events) => Cap(events.Select(e => $"{e.Name} {e.Value} (0x{e.Value:X})"));

    private static string Cap(IEnumerable<string> items)
    {
        var list = items.ToList();
        return string.Join("; ", list.Take(12)) + (list.Count > 12 ? $"; ... ({list.Count} in all)" : "");
    }
}
