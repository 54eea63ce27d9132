using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zmq.Io;

namespace Zmq;

/// <summary>
/// Groups sockets the way a libzmq context does: they share a logger factory, the inproc
/// namespace, the ZAP handler and the I/O threads that serve their tcp and ipc connections. No
/// context is required: sockets created without one use <see cref="Default"/>. Create your own for
/// isolation (e.g. one per test) or to give a set of sockets its own I/O threads.
/// </summary>
public sealed class Context : IDisposable
{
    private static readonly Lazy<Context> s_default = new(() => new Context { IsDefault = true });
    private static int s_count;

    private readonly Lock _lock = new();
    private readonly HashSet<Socket> _sockets = new(ReferenceEqualityComparer.Instance);
    private readonly string _name;
    private int _ioThreadCount = 1;
    private IoThreads? _ioThreads;
    private bool _frozen;
    private volatile bool _terminated;

    /// <summary>Creates a context (its I/O threads start when its first tcp or ipc endpoint needs them).</summary>
    public Context()
    {
        int n = Interlocked.Increment(ref s_count) - 1;
        _name = n == 0 ? "" : n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-";
        ZapTransport = new Transports.InprocZap(this);
    }

    /// <summary>The process-wide context used by sockets constructed without one.</summary>
    public static Context Default => s_default.Value;

    private bool IsDefault { get; init; }

    /// <summary>Where sockets of this context write their logs. Defaults to no logging.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>
    /// How many I/O threads serve this context's tcp and ipc connections (libzmq's ZMQ_IO_THREADS).
    /// Each thread multiplexes any number of connections, so one (the default, as in libzmq) suits
    /// most processes; more help when many busy connections, or many CURVE connections, share a
    /// context on a machine with cores to spare. Fixed once the context's first socket exists.
    /// </summary>
    /// <exception cref="ZmqException"><see cref="ZmqError.InvalidState"/> when a socket already exists; <see cref="ZmqError.InvalidOption"/> when not from 1 to 64.</exception>
    public int IoThreads
    {
        get => _ioThreadCount;
        set
        {
            if (value is < 1 or > 64) throw new ZmqException(ZmqError.InvalidOption, "Context.IoThreads must be from 1 to 64");
            lock (_lock)
            {
                if (_frozen) throw new ZmqException(ZmqError.InvalidState, "Context.IoThreads is fixed once the context's first socket exists");
                _ioThreadCount = value;
            }
        }
    }

    /// <summary>Serve this context's connections with the portable poller even where epoll exists (tests of the portable path).</summary>
    internal bool PortablePoller { get; init; }

    /// <summary>The inproc:// namespace of this context.</summary>
    internal Transports.InprocRegistry Inproc { get; } = new();

    /// <summary>How this context's server sockets reach its ZAP handler.</summary>
    internal Security.IZapTransport ZapTransport { get; }

    /// <summary>The I/O threads (started on first use).</summary>
    internal IoThreads IoThreadSet
    {
        get
        {
            var t = Volatile.Read(ref _ioThreads);
            if (t is not null) return t;
            lock (_lock)
            {
                ThrowIfTerminated();
                return _ioThreads ??= new IoThreads(_ioThreadCount, _name, () => LoggerFactory.CreateLogger("Zmq.IoThread"), PortablePoller);
            }
        }
    }

    internal bool IsTerminated => _terminated;

    /// <summary>True on one of this context's I/O threads.</summary>
    internal bool OnIoThread => Volatile.Read(ref _ioThreads)?.IsIoThread ?? false;

    /// <summary>A socket of this context was created; it is closed when the context is disposed.</summary>
    internal void Add(Socket socket)
    {
        lock (_lock)
        {
            ThrowIfTerminated();
            _frozen = true;
            _sockets.Add(socket);
        }
    }

    internal void Remove(Socket socket)
    {
        lock (_lock) _sockets.Remove(socket);
    }

    private void ThrowIfTerminated()
    {
        if (_terminated) throw new ZmqException(ZmqError.ContextTerminated, "the context has been disposed");
    }

    /// <summary>
    /// Terminates the context as libzmq's zmq_ctx_term does: every socket still open is closed
    /// (calls blocked on them on other threads end with <see cref="ZmqError.ContextTerminated"/>),
    /// their queued messages get their LINGER counted from the same moment (so it takes as long as the
    /// longest linger, not their sum), then the
    /// I/O threads stop. Disposing the default context does nothing.
    /// </summary>
    public void Dispose()
    {
        if (IsDefault) return;
        Socket[] sockets;
        lock (_lock)
        {
            if (_terminated) return;
            _terminated = true;
            sockets = [.. _sockets];
        }
        foreach (var s in sockets) s.Terminate();
        // One start for every socket's linger: they deliver side by side on the I/O threads, so
        // closing them one after the other takes as long as the longest linger, not the sum.
        long start = Environment.TickCount64;
        foreach (var s in sockets) s.Close(s.LingerDeadline(start));
        _ioThreads?.Dispose();
    }
}
