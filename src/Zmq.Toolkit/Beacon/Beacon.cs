using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zmq.Toolkit;

/// <summary>
/// CZMQ's zbeacon as a plain class: LAN discovery and presence over UDP. <see cref="Configure"/>
/// opens the beacon's port on an interface; <see cref="Publish(ReadOnlySpan{byte}, TimeSpan)"/>
/// broadcasts a payload of at most 255 bytes every interval (at once, then every interval) until
/// <see cref="Silence"/>; <see cref="Subscribe(ReadOnlySpan{byte})"/> delivers every beacon
/// heard that starts with a prefix (empty: all) until <see cref="Unsubscribe"/>, through
/// <see cref="TryReceive(TimeSpan, out BeaconMessage, CancellationToken)"/> and
/// <see cref="ReceiveAsync(CancellationToken)"/>.
/// </summary>
/// <remarks>
/// <para>On the wire it is zbeacon's (CZMQ 4.2.1): the UDP payload is the published bytes as they
/// are, from the interface's address and the beacon's port to the interface's broadcast address
/// (the kernel's, or <c>address | ~netmask</c> when none is set) and the same port; with IPv6
/// (<c>ZSYS_IPV6=1</c>, or <c>ipv6: true</c>) to the multicast group ff02::1
/// (<c>ZSYS_IPV6_MCAST_ADDRESS</c>) on the interface. Several processes on one host share the
/// port. A beacon is delivered only while subscribed, and never when it is byte for byte what
/// this beacon publishes (its own broadcasts come back to it); a datagram longer than 255 bytes
/// is no beacon and is ignored.</para>
/// <para>The interface is chosen as zbeacon does: the one given to <see cref="Configure"/>, else the
/// <c>ZSYS_INTERFACE</c> environment variable (a name, an address, <c>*</c> for every interface
/// through 255.255.255.255, or a digit: the position in the interface list), else the first
/// interface that is up and can broadcast (IPv6: multicast), loopback and point-to-point ones
/// excluded.</para>
/// <para>Received beacons wait in a queue of <c>queueCapacity</c> (the oldest is dropped when it is
/// full, counted in <see cref="Dropped"/>). One asynchronous receive loop per beacon, no thread of
/// its own; publishing runs on a timer. While publishing, a beacon whose sockets failed (its
/// interface went away) opens them again at each interval, as zbeacon does.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var beacon = new Beacon();
/// beacon.Configure(5670);                                 // "192.168.1.20"
/// beacon.Publish("svc tcp://192.168.1.20:5555"u8, TimeSpan.FromSeconds(1));
/// beacon.Subscribe("svc "u8);
/// var heard = await beacon.ReceiveAsync(token);          // heard.Address, heard.Payload
/// </code>
/// </example>
public sealed class Beacon : IDisposable, IAsyncDisposable
{
    /// <summary>The longest beacon: 255 bytes (CZMQ's UDP_FRAME_MAX).</summary>
    public const int MaxPayloadLength = 255;

    /// <summary>The default number of received beacons kept until they are read.</summary>
    public const int DefaultQueueCapacity = 1000;

    /// <summary>The publishing interval when none is given: 1 second, as zbeacon.</summary>
    public static TimeSpan DefaultInterval { get; } = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private readonly Action<BeaconMessage>? _sink;
    private readonly Queue<BeaconMessage> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _closed = new();
    private readonly int _capacity;
    private Settings? _settings;
    private BeaconLink? _link;
    private volatile byte[]? _transmit;
    private volatile byte[]? _subscription;
    private Timer? _timer;
    private TimeSpan _interval = DefaultInterval;
    private long _dropped;
    private long _ignored;
    private bool _disposed;

    /// <summary>Creates a beacon; nothing is opened until <see cref="Configure"/>.</summary>
    /// <param name="logger">Where failures go, and in <see cref="Verbose"/> mode what the beacon does.</param>
    /// <param name="queueCapacity">How many received beacons wait to be read before the oldest is dropped.</param>
    public Beacon(ILogger? logger = null, int queueCapacity = DefaultQueueCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _logger = logger ?? NullLogger.Instance;
        _capacity = queueCapacity;
    }

    /// <summary>A beacon that hands every accepted beacon to <paramref name="sink"/> (on its receive loop) instead of queueing it.</summary>
    internal Beacon(ILogger? logger, Action<BeaconMessage> sink) : this(logger)
    {
        _sink = sink;
    }

    /// <summary>Logs what the beacon does at Information level (zbeacon's VERBOSE).</summary>
    public bool Verbose { get; set; }

    /// <summary>The address <see cref="Configure"/> returned (null before, or after a failed configuration).</summary>
    public string? Hostname { get; private set; }

    /// <summary>The configured port (null before <see cref="Configure"/>).</summary>
    public int? Port => _settings?.Port;

    /// <summary>The interface in use (null before <see cref="Configure"/>, or for <c>*</c>).</summary>
    public string? InterfaceName { get; private set; }

    /// <summary>Where beacons go: the broadcast address (IPv4) or the multicast group (IPv6), and the port.</summary>
    public IPEndPoint? Destination { get; private set; }

    /// <summary>True between <see cref="Publish(ReadOnlySpan{byte}, TimeSpan)"/> and <see cref="Silence"/>.</summary>
    public bool IsPublishing => _transmit is not null;

    /// <summary>Received beacons dropped because the queue was full (the oldest go first).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams ignored because they were longer than <see cref="MaxPayloadLength"/>.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>
    /// Opens the beacon on UDP <paramref name="port"/> (again, if it was open: received beacons
    /// already queued stay) and returns the address it uses, as zbeacon's CONFIGURE answers it:
    /// the interface's address as text, or <c>*</c>.
    /// </summary>
    /// <param name="port">The UDP port, 1 to 65535: beacons are sent from and to it.</param>
    /// <param name="networkInterface">An interface name or address (or <c>*</c>, or a digit); null: <c>ZSYS_INTERFACE</c>, else the first broadcast-capable interface that is up.</param>
    /// <param name="ipv6">IPv6 multicast instead of IPv4 broadcast; null: <c>ZSYS_IPV6</c> (a number, not 0 for IPv6).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 1 to 65535.</exception>
    /// <exception cref="InvalidOperationException">No interface fits (the message names what was asked for).</exception>
    /// <exception cref="SocketException">The sockets could not be bound (e.g. the address is not usable yet).</exception>
    public string Configure(int port, string? networkInterface = null, bool? ipv6 = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _settings = new Settings(port, networkInterface, ipv6);
            return OpenLocked();
        }
    }

    /// <summary>
    /// Broadcasts <paramref name="payload"/> at once and then every <paramref name="interval"/>
    /// (zero: <see cref="DefaultInterval"/>), replacing what was published before. Takes effect
    /// once the beacon is configured.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is longer than 255 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative or infinite.</exception>
    public void Publish(ReadOnlySpan<byte> payload, TimeSpan interval = default)
    {
        if (payload.Length > MaxPayloadLength)
            throw new ArgumentException($"a beacon is at most {MaxPayloadLength} bytes, not {payload.Length}", nameof(payload));
        if (interval < TimeSpan.Zero || interval == Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "the interval must be positive (zero: the default, 1 s)");
        var bytes = payload.ToArray();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _transmit = bytes;
            _interval = interval == TimeSpan.Zero ? DefaultInterval : interval;
            _timer ??= new Timer(static state => ((Beacon)state!).Tick(), this, Timeout.Infinite, Timeout.Infinite);
            _timer.Change(TimeSpan.Zero, _interval);
        }
    }

    /// <summary>As <see cref="Publish(ReadOnlySpan{byte}, TimeSpan)"/> with the UTF-8 bytes of <paramref name="payload"/>.</summary>
    /// <exception cref="ArgumentException">The encoded payload is longer than 255 bytes.</exception>
    public void Publish(string payload, TimeSpan interval = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Publish(System.Text.Encoding.UTF8.GetBytes(payload), interval);
    }

    /// <summary>Stops publishing (zbeacon's SILENCE); received beacons equal to the old payload are delivered again.</summary>
    public void Silence()
    {
        lock (_gate)
        {
            _transmit = null;
            _timer?.Change(Timeout.Infinite, Timeout.Infinite);
        }
    }

    /// <summary>
    /// Delivers every beacon heard from now on that starts with <paramref name="prefix"/> (empty:
    /// every beacon), replacing an earlier subscription. Without a subscription nothing is delivered.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is longer than 255 bytes.</exception>
    public void Subscribe(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length > MaxPayloadLength)
            throw new ArgumentException($"a beacon filter is at most {MaxPayloadLength} bytes, not {prefix.Length}", nameof(prefix));
        _subscription = prefix.ToArray();
    }

    /// <summary>As <see cref="Subscribe(ReadOnlySpan{byte})"/> with the UTF-8 bytes of <paramref name="prefix"/>.</summary>
    public void Subscribe(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Subscribe(System.Text.Encoding.UTF8.GetBytes(prefix));
    }

    /// <summary>Delivers nothing more (beacons already queued can still be read).</summary>
    public void Unsubscribe() => _subscription = null;

    /// <summary>The next received beacon if one is waiting; false at once otherwise.</summary>
    public bool TryReceive([NotNullWhen(true)] out BeaconMessage? beacon)
    {
        beacon = null;
        if (!_available.Wait(0)) return false;
        beacon = Dequeue();
        return true;
    }

    /// <summary>Waits at most <paramref name="timeout"/> for a beacon (<see cref="Timeout.InfiniteTimeSpan"/>: as long as it takes).</summary>
    /// <returns>False when <paramref name="timeout"/> elapsed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The beacon was disposed (also while waiting).</exception>
    public bool TryReceive(TimeSpan timeout, [NotNullWhen(true)] out BeaconMessage? beacon, CancellationToken cancellationToken = default)
    {
        beacon = null;
        using var linked = Linked(cancellationToken, out var token);
        try
        {
            if (!_available.Wait(timeout, token)) return false;
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(Beacon));
        }
        beacon = Dequeue();
        return true;
    }

    /// <summary>Waits for the next beacon.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The beacon was disposed (also while waiting).</exception>
    public async ValueTask<BeaconMessage> ReceiveAsync(CancellationToken cancellationToken = default) =>
        await TryReceiveAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException("unreachable: an infinite wait ended");

    /// <summary>Waits at most <paramref name="timeout"/> for a beacon; null when it elapsed.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The beacon was disposed (also while waiting).</exception>
    public async ValueTask<BeaconMessage?> TryReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (_available.Wait(0)) return Dequeue();
        using var linked = Linked(cancellationToken, out var token);
        try
        {
            if (!await _available.WaitAsync(timeout, token).ConfigureAwait(false)) return null;
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(Beacon));
        }
        return Dequeue();
    }

    /// <summary>Stops publishing and receiving and closes the sockets; waiting receivers get <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        BeaconLink? link;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _transmit = null;
            _timer?.Dispose();
            link = _link;
            _link = null;
        }
        link?.Dispose();
        _closed.Cancel();
    }

    /// <summary>As <see cref="Dispose"/>.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // ---- inside ----

    private sealed record Settings(int Port, string? Interface, bool? IPv6);

    private CancellationTokenSource? Linked(CancellationToken cancellationToken, out CancellationToken token)
    {
        ObjectDisposedException.ThrowIf(_closed.IsCancellationRequested, this);
        if (!cancellationToken.CanBeCanceled)
        {
            token = _closed.Token;
            return null;
        }
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        token = linked.Token;
        return linked;
    }

    private BeaconMessage Dequeue()
    {
        lock (_gate) return _queue.Dequeue(); // the semaphore counted it in: it is there
    }

    /// <summary>Closes the current sockets and opens them for the settings (the lock held); the hostname, or throws.</summary>
    private string OpenLocked()
    {
        var old = _link;
        _link = null;
        Hostname = null;
        InterfaceName = null;
        Destination = null;
        old?.Dispose();
        var s = _settings!;
        string iface = s.Interface ?? Environment.GetEnvironmentVariable("ZSYS_INTERFACE") ?? "";
        bool ipv6 = s.IPv6 ?? EnvironmentFlag("ZSYS_IPV6");
        var interfaces = InterfaceList.Snapshot();
        var route = BeaconRoute.Select(interfaces, s.Port, iface, ipv6,
            Environment.GetEnvironmentVariable("ZSYS_IPV6_ADDRESS") ?? "", Environment.GetEnvironmentVariable("ZSYS_IPV6_MCAST_ADDRESS"));
        if (route is null)
        {
            string what = ipv6 ? "IPv6 multicast" : "broadcast";
            throw new InvalidOperationException(iface.Length == 0
                ? $"no {what} interface found (no interface is up and {(ipv6 ? "multicast" : "broadcast")}-capable)"
                : $"no {what} interface found for '{iface}'{(s.Interface is null ? " (ZSYS_INTERFACE)" : "")}");
        }
        if (Verbose) BeaconLog.Route(_logger, route);
        var link = BeaconLink.Open(route, interfaces, _logger);
        _link = link;
        Hostname = route.Hostname;
        InterfaceName = route.InterfaceName;
        Destination = route.Destination;
        link.Start((data, sender, address) => OnDatagram(link, data, sender, address));
        if (Verbose) BeaconLog.Configured(_logger, route.Hostname);
        return route.Hostname;
    }

    private static bool EnvironmentFlag(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name)?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v != 0;

    /// <summary>One datagram from <paramref name="link"/>'s receive loop.</summary>
    private void OnDatagram(BeaconLink link, ReadOnlyMemory<byte> data, IPEndPoint sender, string address)
    {
        if (data.Length > MaxPayloadLength)
        {
            Interlocked.Increment(ref _ignored);
            BeaconLog.TooLong(_logger, data.Length, address);
            return;
        }
        if (!BeaconFilter.Accepts(data.Span, _subscription, _transmit)) return;
        var beacon = new BeaconMessage(address, sender, data.ToArray());
        bool added = false;
        lock (_gate)
        {
            if (_disposed || !ReferenceEquals(_link, link)) return; // closed meanwhile: never delivered after Dispose or a new Configure
            if (_sink is not null)
            {
                _sink(beacon);
                return;
            }
            if (_queue.Count >= _capacity)
            {
                _queue.Dequeue();
                long dropped = Interlocked.Increment(ref _dropped);
                if (dropped == 1 || dropped % 1000 == 0) BeaconLog.Dropped(_logger, _capacity, dropped);
            }
            else added = true;
            _queue.Enqueue(beacon);
        }
        if (added) _available.Release();
    }

    /// <summary>The timer: one beacon out; a failed send (or no sockets) reopens them, as zbeacon.</summary>
    private void Tick()
    {
        lock (_gate)
        {
            if (_disposed || _transmit is not { } payload || _settings is null) return;
            if (_link is null && !TryReopenLocked("invalid socket")) return;
            try
            {
                _link!.Send(payload);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                TryReopenLocked(e.Message);
            }
        }
    }

    private bool TryReopenLocked(string reason)
    {
        BeaconLog.TransmitFailed(_logger, reason);
        try
        {
            OpenLocked();
            return true;
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            BeaconLog.TransmitFailed(_logger, e.Message);
            return false;
        }
    }
}
