using Microsoft.Extensions.Logging;
using Zmq.Engine;
using Zmq.Internal;
using Zmq.Pipes;
using Zmq.Transports;

namespace Zmq;

/// <summary>
/// A ZeroMQ socket. Use the typed subclasses (<see cref="PushSocket"/>, <see cref="SubSocket"/>,
/// <see cref="RouterSocket"/>, ...). A socket speaks ZMTP 3.1 over tcp and interoperates with
/// libzmq, CZMQ, pyzmq, goczmq and NetMQ.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> Any number of threads may send and receive on one socket at the same time.
/// Every message (all of its frames) is sent and received as a unit: it is never split,
/// interleaved with another, corrupted or lost because of concurrent callers. Internally each
/// operation takes the socket's lock for the few instructions of the routing decision (one
/// compare-and-swap when uncontended); waiting for a peer or for room never holds it.</para>
/// <para><b>Ownership.</b> Send copies your bytes before it returns, so you may reuse your buffer at
/// once. Receive hands out a pooled <see cref="Message"/>; dispose it to return its buffers.</para>
/// </remarks>
public abstract partial class Socket : IDisposable, IAsyncDisposable
{
    internal readonly Lock Gate = new();
    internal readonly Signal RecvSignal = new();
    internal readonly Signal SendSignal = new();
    private readonly Signal _idleSignal = new();

    /// <summary>Peers visible to the pattern, in attach order.</summary>
    private protected readonly List<Peer> Peers = [];

    private readonly List<Listener> _listeners = [];
    private readonly List<Connector> _connectors = [];
    private readonly HashSet<ZmtpConnection> _connections = [];
    private volatile bool _disposed;
    private volatile bool _closing;

    private protected Socket(SocketType type, string? endpoints, Context? context, Action<Socket>? configure = null)
    {
        Type = type;
        Context = context ?? Context.Default;
        Context.Add(this);
        Logger = Context.LoggerFactory.CreateLogger("Zmq.Socket");
        if (configure is not null)
        {
            try
            {
                configure(this);
            }
            catch
            {
                Dispose();
                throw;
            }
        }
        if (endpoints is not null)
        {
            try
            {
                Attach(endpoints);
            }
            catch
            {
                Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// A new socket of <paramref name="type"/> (zsock_new), attached to <paramref name="endpoints"/>
    /// (CZMQ syntax, see <see cref="Attach"/>) when given: for code that picks the type at run
    /// time (configuration, a proxy's command, a CLI argument).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a socket type of this library.</exception>
    public static Socket Create(SocketType type, string? endpoints = null, Context? context = null) => type switch
    {
        SocketType.Pair => new PairSocket(endpoints, context),
        SocketType.Pub => new PubSocket(endpoints, context),
        SocketType.Sub => new SubSocket(endpoints, context: context),
        SocketType.XPub => new XPubSocket(endpoints, context),
        SocketType.XSub => new XSubSocket(endpoints, context),
        SocketType.Push => new PushSocket(endpoints, context),
        SocketType.Pull => new PullSocket(endpoints, context),
        SocketType.Req => new ReqSocket(endpoints, context),
        SocketType.Rep => new RepSocket(endpoints, context),
        SocketType.Dealer => new DealerSocket(endpoints, context),
        SocketType.Router => new RouterSocket(endpoints, context),
        SocketType.Stream => new StreamSocket(endpoints, context),
        SocketType.Server => new ServerSocket(endpoints, context),
        SocketType.Client => new ClientSocket(endpoints, context),
        SocketType.Gather => new GatherSocket(endpoints, context),
        SocketType.Scatter => new ScatterSocket(endpoints, context),
        SocketType.Peer => new PeerSocket(endpoints, context),
        SocketType.Channel => new ChannelSocket(endpoints, context),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a socket type of this library"),
    };

    /// <summary>Adapts a socket type's typed configure callback to the base constructor.</summary>
    private protected static Action<Socket>? Configure<T>(Action<T>? configure) where T : Socket =>
        configure is null ? null : s => configure((T)s);

    /// <summary>The socket's type.</summary>
    public SocketType Type { get; }

    /// <summary>The context this socket belongs to.</summary>
    public Context Context { get; }

    internal ILogger Logger { get; }

    /// <summary>True once <see cref="Dispose"/> has begun.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>
    /// Binds and connects a CZMQ-style endpoint list: comma-separated, <c>@</c> binds, <c>&gt;</c>
    /// connects; without a prefix the type's CZMQ default applies (PUB, XPUB, REP, ROUTER and PULL
    /// bind; the others connect).
    /// </summary>
    public void Attach(string endpoints)
    {
        foreach (var (bind, endpoint) in EndpointList.Parse(endpoints, Type))
        {
            if (bind) Bind(endpoint);
            else Connect(endpoint);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Type.ToString().ToUpperInvariant()} socket";

    private protected void ThrowIfDisposed()
    {
        if (_terminated) throw new ZmqException(ZmqError.ContextTerminated, "the socket's context was disposed (terminated)", Type);
        if (_disposed) throw new ZmqException(ZmqError.Disposed, "the socket has been disposed", Type);
    }

    private protected ZmqException NotSupported(string what) =>
        new(ZmqError.NotSupported, $"{what} is not supported by this socket type", Type);

    private protected ZmqException InvalidState(string what) => new(ZmqError.InvalidState, what, Type);
}
