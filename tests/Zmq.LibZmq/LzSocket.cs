using System.Text;

namespace Zmq.LibZmq;

/// <summary>A libzmq socket (zmq_socket / zmq_close): endpoints and options. Sending and receiving are in LzSocket.Messages.cs.</summary>
/// <remarks>
/// Like a libzmq socket, an instance must be used by one thread at a time. Calls that fail throw
/// <see cref="LzException"/> with zmq_strerror's text; EINTR is retried. There is no finalizer:
/// dispose the socket, or dispose its <see cref="LzContext"/>, which closes what is left.
/// </remarks>
public sealed partial class LzSocket : IDisposable
{
    private IntPtr _handle;

    /// <summary>Creates a socket (zmq_socket) of a type from <see cref="LzSocketType"/>.</summary>
    public LzSocket(LzContext context, int type)
    {
        ArgumentNullException.ThrowIfNull(context);
        _handle = Native.zmq_socket(context.Handle, type);
        if (_handle == IntPtr.Zero)
            throw LzException.FromErrno($"zmq_socket({type})");
        Context = context;
        Type = type;
        context.Track(this);
    }

    /// <summary>The context this socket belongs to.</summary>
    public LzContext Context { get; }

    /// <summary>The socket type (<see cref="LzSocketType"/>).</summary>
    public int Type { get; }

    /// <summary>The native socket pointer.</summary>
    public IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(LzSocket));

    /// <summary>ZMQ_LAST_ENDPOINT: the endpoint last bound or connected, with the real port after binding to "*" or port 0.</summary>
    public string LastEndpoint => GetString(LzOption.LastEndpoint);

    /// <summary>zmq_bind.</summary>
    public void Bind(string endpoint) => Check(Native.zmq_bind(Handle, endpoint), "zmq_bind", endpoint);

    /// <summary>zmq_connect.</summary>
    public void Connect(string endpoint) => Check(Native.zmq_connect(Handle, endpoint), "zmq_connect", endpoint);

    /// <summary>zmq_unbind (use the <see cref="LastEndpoint"/> value for wildcard binds).</summary>
    public void Unbind(string endpoint) => Check(Native.zmq_unbind(Handle, endpoint), "zmq_unbind", endpoint);

    /// <summary>zmq_disconnect.</summary>
    public void Disconnect(string endpoint) => Check(Native.zmq_disconnect(Handle, endpoint), "zmq_disconnect", endpoint);

    /// <summary>Sets an int option; 64-bit options (<see cref="LzOption.Is64Bit"/>) are widened.</summary>
    public unsafe void SetOption(int option, int value)
    {
        if (LzOption.Is64Bit(option))
        {
            SetOption(option, (long)value);
            return;
        }
        Check(Native.zmq_setsockopt(Handle, option, &value, sizeof(int)), "zmq_setsockopt", option);
    }

    /// <summary>Sets a 64-bit option (MAXMSGSIZE, AFFINITY).</summary>
    public unsafe void SetOption(int option, long value)
        => Check(Native.zmq_setsockopt(Handle, option, &value, sizeof(long)), "zmq_setsockopt", option);

    /// <summary>Sets a binary option (ROUTING_ID, SUBSCRIBE, keys...). An empty span is allowed.</summary>
    public unsafe void SetOption(int option, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
            Check(Native.zmq_setsockopt(Handle, option, p, (nuint)value.Length), "zmq_setsockopt", option);
    }

    /// <summary>Sets a string option as UTF-8 without a terminating NUL (PLAIN_USERNAME, ZAP_DOMAIN, Z85 keys...).</summary>
    public void SetOption(int option, string value) => SetOption(option, Encoding.UTF8.GetBytes(value));

    /// <summary>Gets an int option; 64-bit options are read as 64 bits and narrowed (saturating).</summary>
    public unsafe int GetInt(int option)
    {
        if (LzOption.Is64Bit(option))
            return (int)Math.Clamp(GetLong(option), int.MinValue, int.MaxValue);
        int value;
        nuint size = sizeof(int);
        Check(Native.zmq_getsockopt(Handle, option, &value, &size), "zmq_getsockopt", option);
        return value;
    }

    /// <summary>Gets a 64-bit option.</summary>
    public unsafe long GetLong(int option)
    {
        long value;
        nuint size = sizeof(long);
        Check(Native.zmq_getsockopt(Handle, option, &value, &size), "zmq_getsockopt", option);
        return value;
    }

    /// <summary>Gets a binary option (at most <paramref name="maxLength"/> bytes).</summary>
    public unsafe byte[] GetBytes(int option, int maxLength = 256)
    {
        var buffer = new byte[maxLength];
        nuint size = (nuint)maxLength;
        fixed (byte* p = buffer)
            Check(Native.zmq_getsockopt(Handle, option, p, &size), "zmq_getsockopt", option);
        return buffer.AsSpan(0, (int)size).ToArray();
    }

    /// <summary>Gets a string option (UTF-8, terminating NUL removed).</summary>
    public string GetString(int option, int maxLength = 1024)
    {
        var bytes = GetBytes(option, maxLength);
        var length = Array.IndexOf(bytes, (byte)0);
        return Encoding.UTF8.GetString(bytes, 0, length < 0 ? bytes.Length : length);
    }

    /// <summary>ZMQ_SUBSCRIBE with a binary prefix.</summary>
    public void Subscribe(ReadOnlySpan<byte> prefix) => SetOption(LzOption.Subscribe, prefix);

    /// <summary>ZMQ_SUBSCRIBE with a UTF-8 prefix ("" = everything).</summary>
    public void Subscribe(string prefix) => SetOption(LzOption.Subscribe, prefix);

    /// <summary>ZMQ_UNSUBSCRIBE with a binary prefix.</summary>
    public void Unsubscribe(ReadOnlySpan<byte> prefix) => SetOption(LzOption.Unsubscribe, prefix);

    /// <summary>ZMQ_UNSUBSCRIBE with a UTF-8 prefix.</summary>
    public void Unsubscribe(string prefix) => SetOption(LzOption.Unsubscribe, prefix);

    /// <summary>zmq_socket_monitor: publish <paramref name="events"/> (<see cref="LzEvent"/>) on a PAIR at an inproc endpoint; null stops monitoring.</summary>
    public void Monitor(string? endpoint, int events = LzEvent.All)
        => Check(Native.zmq_socket_monitor(Handle, endpoint, events), "zmq_socket_monitor", endpoint ?? "(stop)");

    /// <summary>Starts monitoring to a fresh inproc endpoint and returns the PAIR socket connected to it; read it with <see cref="LzMonitorEvent.Receive"/>.</summary>
    public LzSocket OpenMonitor(int events = LzEvent.All)
    {
        var endpoint = $"inproc://lz-monitor-{Guid.NewGuid():N}";
        Monitor(endpoint, events);
        var pair = Context.Socket(LzSocketType.Pair);
        try
        {
            pair.Connect(endpoint);
        }
        catch
        {
            pair.Dispose();
            throw;
        }
        return pair;
    }

    /// <summary>zmq_close. Idempotent. Queued outgoing messages are then sent within LINGER by libzmq's I/O thread.</summary>
    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, IntPtr.Zero);
        if (handle == IntPtr.Zero)
            return;
        Context.Untrack(this);
        if (Native.zmq_close(handle) != 0)
            throw LzException.FromErrno("zmq_close");
    }

    private static void Check(int rc, string operation, object argument)
    {
        if (rc != 0)
            throw LzException.FromErrno($"{operation}({argument})");
    }
}
