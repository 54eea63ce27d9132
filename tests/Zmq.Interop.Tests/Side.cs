using Zmq.LibZmq;

namespace Zmq.Interop.Tests;

/// <summary>
/// One end of a connection under test, either our socket or a libzmq socket, behind one API so
/// that every scenario body is written once and run with ours on either end, binding or connecting.
/// Like a libzmq socket, a side is used by one thread at a time.
/// </summary>
internal abstract class Side : IDisposable
{
    /// <summary>The bound on every single wait in these tests.</summary>
    public const int WaitMs = 5000;

    protected Side(SocketType type) => Type = type;

    public SocketType Type { get; }

    public abstract bool IsOurs { get; }

    public string Name => (IsOurs ? "ours " : "libzmq ") + Type.ToString().ToUpperInvariant();

    public override string ToString() => Name;

    /// <summary>Binds tcp://127.0.0.1 on a port of <see cref="TestPorts"/> and returns the endpoint.</summary>
    public abstract string BindEphemeral();

    /// <summary>
    /// Binds a fresh address on <paramref name="transport"/> and returns the endpoint to connect to:
    /// tcp://127.0.0.1 on an ephemeral port, or ipc:// on a new unique path in the temp directory.
    /// </summary>
    public string BindEphemeral(string transport)
    {
        if (transport == Transport.Tcp)
            return BindEphemeral();
        if (transport != Transport.Ipc)
            throw new ArgumentOutOfRangeException(nameof(transport), transport, "tcp or ipc (inproc cannot cross to libzmq)");
        var endpoint = Transport.NewIpcEndpoint();
        Bind(endpoint);
        return endpoint;
    }

    public abstract void Bind(string endpoint);

    public abstract void Connect(string endpoint);

    public abstract void Disconnect(string endpoint);

    /// <summary>Sends one message; throws when it cannot be sent within the send timeout.</summary>
    public abstract void Send(params byte[][] frames);

    /// <summary>ROUTER with mandatory routing: false while the peer is unknown (not yet connected).</summary>
    public abstract bool TrySendRouted(params byte[][] frames);

    /// <summary>One message, or null when nothing arrived within <paramref name="timeoutMs"/>.</summary>
    public abstract byte[][]? TryReceive(int timeoutMs);

    public byte[][] Receive(int timeoutMs = WaitMs)
        => TryReceive(timeoutMs) ?? throw new Xunit.Sdk.XunitException($"{Name}: no message within {timeoutMs} ms");

    /// <summary>
    /// Receives while <paramref name="other"/> is pumped. A libzmq socket does its own bookkeeping
    /// (attaching a newly accepted connection, and so a SUB sending its subscriptions to it) only
    /// inside a call on it, so a test that only waits on our side must keep calling into libzmq's,
    /// as any real libzmq application (polling its socket) does.
    /// </summary>
    public byte[][] ReceivePumping(Side other, int timeoutMs = WaitMs)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            other.Pump();
            if (TryReceive(20) is { } got)
                return got;
            if (Environment.TickCount64 > deadline)
                throw new Xunit.Sdk.XunitException($"{Name}: no message within {timeoutMs} ms (while pumping {other.Name})");
        }
    }

    /// <summary>Lets a libzmq socket process its pending commands (ZMQ_EVENTS); nothing for ours.</summary>
    public abstract void Pump();

    /// <summary>SUB: subscribe; XSUB: send \x01topic.</summary>
    public void Subscribe(byte[] topic)
    {
        if (Type == SocketType.XSub) Send([1, .. topic]);
        else SubscribeOption(topic);
    }

    /// <summary>SUB: unsubscribe; XSUB: send \x00topic.</summary>
    public void Unsubscribe(byte[] topic)
    {
        if (Type == SocketType.XSub) Send([0, .. topic]);
        else UnsubscribeOption(topic);
    }

    protected abstract void SubscribeOption(byte[] topic);

    protected abstract void UnsubscribeOption(byte[] topic);

    /// <summary>ROUTING_ID; set before connecting.</summary>
    public abstract void SetRoutingId(byte[] id);

    /// <summary>ROUTER_MANDATORY: a send to a full peer blocks (instead of dropping), to an unknown one fails.</summary>
    public abstract void SetRouterMandatory();

    /// <summary>SNDHWM and RCVHWM; set before connecting.</summary>
    public abstract void SetHighWatermarks(int messages);

    public abstract void Dispose();

    public static Side Ours(SocketType type) => new OurSide(type);

    public static Side Lz(LzContext context, SocketType type) => new LzSide(context, type);
}

/// <summary>Our socket (in the default context unless one is given), every wait short and bounded.</summary>
internal class OurSide : Side
{
    public OurSide(SocketType type, Context? context = null, TimeSpan? handshakeInterval = null) : base(type)
    {
        Socket = type switch
        {
            SocketType.Pair => new PairSocket(context: context),
            SocketType.Pub => new PubSocket(context: context),
            SocketType.Sub => new SubSocket(context: context),
            SocketType.Req => new ReqSocket(context: context),
            SocketType.Rep => new RepSocket(context: context),
            SocketType.Dealer => new DealerSocket(context: context),
            SocketType.Router => new RouterSocket(context: context),
            SocketType.Pull => new PullSocket(context: context),
            SocketType.Push => new PushSocket(context: context),
            SocketType.XPub => new XPubSocket(context: context),
            SocketType.XSub => new XSubSocket(context: context),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        // Everything short and bounded. Delivery in these tests is checked by receiving before
        // disposing, so a short linger loses nothing that is asserted.
        Socket.Linger = TimeSpan.FromMilliseconds(100);
        Socket.HandshakeInterval = handshakeInterval ?? TimeSpan.FromSeconds(2);
        Socket.ReconnectInterval = TimeSpan.FromMilliseconds(20);
        Socket.ReceiveTimeout = TimeSpan.FromMilliseconds(WaitMs);
        Socket.SendTimeout = TimeSpan.FromMilliseconds(WaitMs);
    }

    public Socket Socket { get; }

    public override bool IsOurs => true;

    public override string BindEphemeral()
    {
        TestPorts.BindLoopback(e => Socket.Bind(e));
        return Socket.LastEndpoint ?? throw new InvalidOperationException("LastEndpoint is null after Bind");
    }

    public override void Bind(string endpoint) => Socket.Bind(endpoint);

    public override void Connect(string endpoint) => Socket.Connect(endpoint);

    public override void Disconnect(string endpoint) => Socket.Disconnect(endpoint);

    public override void Pump() { }

    public override void Send(params byte[][] frames) => Socket.SendFrames(frames);

    public override bool TrySendRouted(params byte[][] frames)
    {
        try
        {
            Socket.SendFrames(frames);
            return true;
        }
        catch (ZmqException e) when (e.Error == ZmqError.HostUnreachable)
        {
            return false;
        }
    }

    public override byte[][]? TryReceive(int timeoutMs)
    {
        if (!Socket.TryReceive(TimeSpan.FromMilliseconds(timeoutMs), out var message))
            return null;
        using (message)
            return message.ToArrays();
    }

    protected override void SubscribeOption(byte[] topic) => ((SubSocket)Socket).Subscribe(topic);

    protected override void UnsubscribeOption(byte[] topic) => ((SubSocket)Socket).Unsubscribe(topic);

    public override void SetRoutingId(byte[] id) => Socket.RoutingId = id;

    public override void SetRouterMandatory() => ((RouterSocket)Socket).Mandatory = true;

    public override void SetHighWatermarks(int messages)
    {
        Socket.SendHighWatermark = messages;
        Socket.ReceiveHighWatermark = messages;
    }

    public override void Dispose() => Socket.Dispose();
}

internal sealed class LzSide : Side
{
    private int _rcvtimeo;

    public LzSide(LzContext context, SocketType type) : base(type)
    {
        // Our SocketType values are libzmq's ZMQ_* numbers.
        Socket = context.Socket((int)type);
        Socket.SetOption(LzOption.Linger, 0);
        Socket.SetOption(LzOption.SndTimeo, WaitMs);
        Socket.SetOption(LzOption.RcvTimeo, _rcvtimeo = WaitMs);
        Socket.SetOption(LzOption.HandshakeIvl, 2000);
        Socket.SetOption(LzOption.ReconnectIvl, 20);
    }

    public LzSocket Socket { get; }

    public override bool IsOurs => false;

    public override string BindEphemeral()
    {
        TestPorts.BindLoopback(e => Socket.Bind(e));
        return Socket.LastEndpoint;
    }

    public override void Bind(string endpoint) => Socket.Bind(endpoint);

    public override void Connect(string endpoint) => Socket.Connect(endpoint);

    public override void Disconnect(string endpoint) => Socket.Disconnect(endpoint);

    public override void Pump() => Socket.GetInt(LzOption.Events);

    public override void Send(params byte[][] frames)
    {
        if (!Socket.SendMultipart(frames))
            throw new Xunit.Sdk.XunitException($"{Name}: send timed out after {WaitMs} ms");
    }

    public override bool TrySendRouted(params byte[][] frames)
    {
        try
        {
            Send(frames);
            return true;
        }
        catch (LzException e) when (e.Errno == LzErrno.EHostUnreach)
        {
            return false;
        }
    }

    public override byte[][]? TryReceive(int timeoutMs)
    {
        if (_rcvtimeo != timeoutMs)
            Socket.SetOption(LzOption.RcvTimeo, _rcvtimeo = timeoutMs);
        return Socket.ReceiveMultipart()?.ToArray();
    }

    protected override void SubscribeOption(byte[] topic) => Socket.Subscribe(topic);

    protected override void UnsubscribeOption(byte[] topic) => Socket.Unsubscribe(topic);

    public override void SetRoutingId(byte[] id) => Socket.SetOption(LzOption.RoutingId, id);

    public override void SetRouterMandatory() => Socket.SetOption(LzOption.RouterMandatory, 1);

    public override void SetHighWatermarks(int messages)
    {
        Socket.SetOption(LzOption.SndHwm, messages);
        Socket.SetOption(LzOption.RcvHwm, messages);
    }

    public override void Dispose() => Socket.Dispose();
}

/// <summary>Our socket of one type and a libzmq socket of another, in a libzmq context of their own.</summary>
internal sealed class Duo : IDisposable
{
    public Duo(SocketType ours, SocketType theirs)
    {
        Context = new LzContext();
        try
        {
            Ours = Side.Ours(ours);
            Theirs = Side.Lz(Context, theirs);
        }
        catch
        {
            Ours?.Dispose();
            Context.Dispose();
            throw;
        }
    }

    public LzContext Context { get; }

    public Side Ours { get; }

    public Side Theirs { get; }

    /// <summary>The side playing <paramref name="role"/> (for asymmetric pairs).</summary>
    public Side Role(SocketType role) => Ours.Type == role ? Ours : Theirs.Type == role ? Theirs
        : throw new ArgumentException($"neither side is {role}");

    /// <summary>One side binds a fresh address on <paramref name="transport"/> (tcp: an ephemeral port; ipc: a new path), the other connects to it.</summary>
    public (Side Binder, Side Connector) Link(bool weBind, string transport = Transport.Tcp)
    {
        var (binder, connector) = weBind ? (Ours, Theirs) : (Theirs, Ours);
        var endpoint = binder.BindEphemeral(transport);
        if (transport == Transport.Ipc)
            _ipcEndpoint = endpoint;
        connector.Connect(endpoint);
        return (binder, connector);
    }

    private string? _ipcEndpoint;

    public void Dispose()
    {
        // libzmq sockets before their context; ours first so that its linger is not spent on a closed peer.
        Ours.Dispose();
        Theirs.Dispose();
        Context.Dispose();
        if (_ipcEndpoint is not null)
            Transport.RemoveIpcFile(_ipcEndpoint);
    }
}

/// <summary>The transports our sockets and libzmq's can share: tcp and ipc (inproc stays inside one library's context).</summary>
internal static class Transport
{
    public const string Tcp = "tcp";
    public const string Ipc = "ipc";

    private static long s_next;

    /// <summary>A unique ipc endpoint in the temp directory (short enough for sun_path's 107 bytes).</summary>
    /// <summary>
    /// Deletes the socket file of an ipc endpoint if it is still there. Ours removes its file on
    /// close; libzmq 4.3.4 removes only the files of wildcard (ipc://*) binds and leaves an explicit
    /// path's file behind (ipc_listener_t::close), so tests clean up after it.
    /// </summary>
    public static void RemoveIpcFile(string endpoint)
    {
        try
        {
            File.Delete(endpoint["ipc://".Length..]);
        }
        catch (IOException)
        {
        }
    }

    public static string NewIpcEndpoint() =>
        "ipc://" + Path.Combine(Path.GetTempPath(), $"zmq-i-{Environment.ProcessId}-{Interlocked.Increment(ref s_next)}-{Guid.NewGuid().ToString("N")[..8]}.sock");
}
