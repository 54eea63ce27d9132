using Zmq.Diagnostics;

namespace Zmq;

public abstract partial class Socket
{
    private MonitorHub? _monitorHub;

    /// <summary>
    /// The hooks' single check: the socket's monitor hub while at least one monitor exists, else
    /// null (set by <see cref="MonitorHub"/>). Transports and engines call
    /// <c>owner.Monitors?.Event(...)</c>, which costs nothing more when nobody monitors.
    /// </summary>
    internal volatile MonitorHub? Monitors;

    /// <summary>
    /// Starts monitoring this socket's events (libzmq's zmq_socket_monitor, read in-process): every
    /// event in <paramref name="events"/> is queued on the returned monitor. A socket may have any
    /// number of monitors. Events concern tcp and ipc endpoints (inproc has none, as in libzmq).
    /// </summary>
    /// <param name="events">Which events to receive; by default all.</param>
    /// <param name="capacity">How many events to queue before dropping the oldest.</param>
    /// <returns>The monitor; dispose it to stop monitoring.</returns>
    /// <exception cref="ZmqException">The socket has been disposed.</exception>
    /// <example><code>
    /// await using var monitor = socket.Monitor(MonitorEventType.Connected | MonitorEventType.Disconnected);
    /// await foreach (var e in monitor.ReadAllAsync(ct)) Console.WriteLine(e);
    /// </code></example>
    public SocketMonitor Monitor(MonitorEventType events = MonitorEventType.All, int capacity = SocketMonitor.DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ThrowIfDisposed();
        var hub = MonitorHubOrThrow();
        var monitor = new SocketMonitor(hub, events, capacity);
        if (!hub.TryAdd(monitor.AsSink)) ThrowIfDisposedForMonitor();
        return monitor;
    }

    /// <summary>
    /// Publishes this socket's events on a PAIR socket bound at <paramref name="endpoint"/>
    /// (<c>inproc://...</c>, in this socket's <see cref="Context"/>), as libzmq's
    /// <c>zmq_socket_monitor(socket, endpoint, events)</c> does: connect a <see cref="PairSocket"/>
    /// there and receive one message per event, in libzmq's two-frame form or CZMQ zmonitor's
    /// three-frame form (<paramref name="format"/>). Several such monitors may coexist.
    /// </summary>
    /// <param name="endpoint">An inproc endpoint not bound yet in this socket's context.</param>
    /// <param name="events">Which events to send; by default every libzmq event.</param>
    /// <param name="format">How each event is encoded.</param>
    /// <returns>The monitor; dispose it to send MONITOR_STOPPED and close the PAIR.</returns>
    /// <exception cref="ZmqException">Not an inproc endpoint, the name is already bound, or the socket has been disposed.</exception>
    public InprocMonitor Monitor(string endpoint, MonitorEventType events = MonitorEventType.AllLibZmq, MonitorFormat format = MonitorFormat.LibZmq)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ThrowIfDisposed();
        if (!endpoint.StartsWith("inproc://", StringComparison.Ordinal))
            throw new ZmqException(ZmqError.InvalidEndpoint, "a monitor endpoint must be inproc://, as in libzmq", Type, endpoint);
        if (format is not (MonitorFormat.LibZmq or MonitorFormat.Czmq)) throw new ArgumentOutOfRangeException(nameof(format));
        var hub = MonitorHubOrThrow();
        var pair = new PairSocket(context: Context)
        {
            Linger = TimeSpan.Zero,
            SendHighWatermark = SocketMonitor.DefaultCapacity,
        };
        try
        {
            pair.Bind(endpoint);
        }
        catch
        {
            pair.Dispose();
            throw;
        }
        var monitor = new InprocMonitor(hub, pair, endpoint, events, format);
        if (!hub.TryAdd(monitor.AsSink))
        {
            pair.Dispose();
            ThrowIfDisposedForMonitor();
        }
        return monitor;
    }

    private MonitorHub MonitorHubOrThrow()
    {
        var hub = Volatile.Read(ref _monitorHub);
        if (hub is null)
        {
            var created = new MonitorHub(this);
            hub = Interlocked.CompareExchange(ref _monitorHub, created, null) ?? created;
        }
        if (hub.IsStopped) ThrowIfDisposedForMonitor();
        return hub;
    }

    private void ThrowIfDisposedForMonitor() =>
        throw new ZmqException(ZmqError.Disposed, "the socket has been disposed", Type);

    /// <summary>Dispose's last step: every monitor gets MONITOR_STOPPED and ends; later events are dropped.</summary>
    private void StopMonitors()
    {
        var hub = Interlocked.CompareExchange(ref _monitorHub, MonitorHub.Disposed, null);
        hub?.Stop();
    }
}
