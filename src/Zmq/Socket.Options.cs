namespace Zmq;

public abstract partial class Socket
{
    private int _sndhwm = 1000;
    private int _rcvhwm = 1000;
    private int _lingerMs = 30_000;
    private int _sndtimeoMs = -1;
    private int _rcvtimeoMs = -1;
    private int _reconnectIvlMs = 100;
    private int _reconnectIvlMaxMs;
    private int _handshakeIvlMs = 30_000;
    private long _maxMsgSize = -1;
    private byte[]? _routingId;

    /// <summary>SNDHWM: messages queued per peer for sending before PUSH/DEALER/REQ block and PUB drops (0 = no limit). Applies to connections made afterwards. Default 1000.</summary>
    public int SendHighWatermark { get => _sndhwm; set => _sndhwm = NonNegative(value, nameof(SendHighWatermark)); }

    /// <summary>RCVHWM: messages queued per peer on the receiving side (0 = no limit). Applies to connections made afterwards. Default 1000.</summary>
    public int ReceiveHighWatermark { get => _rcvhwm; set => _rcvhwm = NonNegative(value, nameof(ReceiveHighWatermark)); }

    /// <summary>
    /// LINGER: how long Dispose waits for queued messages to be delivered. <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits until delivered, <see cref="TimeSpan.Zero"/> drops them. Default 30 s (libzmq's default,
    /// forever, hangs a process whose peer never comes; when it runs out the dropped count is logged).
    /// </summary>
    public TimeSpan Linger { get => Ms(_lingerMs); set => _lingerMs = ToMs(value, nameof(Linger)); }

    /// <summary>SNDTIMEO: how long a blocking Send waits before throwing <see cref="ZmqTimeoutException"/>. Default infinite.</summary>
    public TimeSpan SendTimeout { get => Ms(_sndtimeoMs); set => _sndtimeoMs = ToMs(value, nameof(SendTimeout)); }

    /// <summary>RCVTIMEO: how long a blocking Receive waits before throwing <see cref="ZmqTimeoutException"/>. Default infinite.</summary>
    public TimeSpan ReceiveTimeout { get => Ms(_rcvtimeoMs); set => _rcvtimeoMs = ToMs(value, nameof(ReceiveTimeout)); }

    /// <summary>RECONNECT_IVL: wait before reconnecting a dropped or failed connection. Negative (e.g. <see cref="Timeout.InfiniteTimeSpan"/>) disables reconnection. Default 100 ms.</summary>
    public TimeSpan ReconnectInterval { get => Ms(_reconnectIvlMs); set => _reconnectIvlMs = value < TimeSpan.Zero ? -1 : ToMs(value, nameof(ReconnectInterval)); }

    /// <summary>RECONNECT_IVL_MAX: when larger than <see cref="ReconnectInterval"/>, each failed attempt doubles the wait up to this. Default 0 (no back-off).</summary>
    public TimeSpan ReconnectIntervalMax { get => Ms(_reconnectIvlMaxMs); set => _reconnectIvlMaxMs = ToMs(value, nameof(ReconnectIntervalMax)); }

    /// <summary>HANDSHAKE_IVL: a peer that has not completed the ZMTP handshake by then is dropped (0 = no limit). Default 30 s.</summary>
    public TimeSpan HandshakeInterval { get => Ms(_handshakeIvlMs); set => _handshakeIvlMs = ToMs(value, nameof(HandshakeInterval)); }

    /// <summary>MAXMSGSIZE: a peer that sends a frame larger than this many bytes is disconnected (-1 = no limit). Default -1.</summary>
    public long MaxMessageSize
    {
        get => _maxMsgSize;
        set => _maxMsgSize = value >= -1 ? value : throw BadOption(nameof(MaxMessageSize), "must be -1 or more");
    }

    /// <summary>ROUTING_ID: the identity this socket announces to ROUTER peers (1-255 bytes, not starting with 0). Set before connecting.</summary>
    public byte[]? RoutingId
    {
        get => _routingId?.ToArray();
        set
        {
            if (value is { Length: 0 or > 255 }) throw BadOption(nameof(RoutingId), "must be 1 to 255 bytes");
            if (value is [0, ..]) throw BadOption(nameof(RoutingId), "must not start with a zero byte (reserved for generated ids)");
            _routingId = value?.ToArray();
        }
    }

    /// <summary>LAST_ENDPOINT: the endpoint of the most recent bind (with the real port after binding to <c>*</c>) or connect.</summary>
    public string? LastEndpoint { get; private set; }

    internal byte[]? RoutingIdOption => _routingId;
    internal int HandshakeIntervalMs => _handshakeIvlMs;
    internal int ReconnectIntervalMs => _reconnectIvlMs;
    internal int ReconnectIntervalMaxMs => _reconnectIvlMaxMs;
    internal int SendTimeoutMs => _sndtimeoMs;
    internal int ReceiveTimeoutMs => _rcvtimeoMs;

    private static TimeSpan Ms(int ms) => ms < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms);

    private int ToMs(TimeSpan value, string name)
    {
        if (value == Timeout.InfiniteTimeSpan) return -1;
        if (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue) throw BadOption(name, "must be zero or positive, or Timeout.InfiniteTimeSpan");
        return (int)Math.Ceiling(value.TotalMilliseconds);
    }

    private int NonNegative(int value, string name) => value >= 0 ? value : throw BadOption(name, "must be zero or positive");

    private ZmqException BadOption(string name, string why) => new(ZmqError.InvalidOption, $"option {name} {why}", Type);
}
