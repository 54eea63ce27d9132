using System.Text;
using Zmq.Messages;

namespace Zmq;

/// <summary>
/// A ZeroMQ message: one or more frames delivered together. Messages returned by Receive are
/// pooled: dispose them to hand their buffers back (an undisposed message is simply collected by
/// the GC and never blocks the socket). Messages you build with <see cref="Add(ReadOnlySpan{byte})"/>
/// are copied when sent, so the same message can be sent again or to another socket.
/// </summary>
public sealed class Message : IDisposable
{
    [ThreadStatic] private static Message?[]? t_cache;
    /// <summary>The message this thread disposed last: a receive loop (receive, use, dispose) takes it back without a search.</summary>
    [ThreadStatic] private static Message? t_last;
    private const int CacheSize = 8;

    internal FrameSet Frames;
    internal byte[]? Prefix;   // routing id prepended by ROUTER without copying
    internal int Skip;         // leading frames hidden from the application (REQ/REP envelopes)
    private bool _disposed;

    /// <summary>
    /// The 32-bit routing id of the peer a SERVER received this message from, and the peer a SERVER
    /// sends it to (libzmq's zmq_msg_routing_id / zmq_msg_set_routing_id); 0 when unset.
    /// </summary>
    public uint RoutingId { get; set; }

    /// <summary>Creates an empty message to fill with <see cref="Add(ReadOnlySpan{byte})"/>.</summary>
    public Message() => Frames = new FrameSet();

    /// <summary>Creates a message with the given frames (copied).</summary>
    public Message(params ReadOnlySpan<byte[]> frames) : this()
    {
        foreach (var f in frames) Add(f);
    }

    /// <summary>
    /// An empty message from this thread's pool: fill it (<see cref="Add(ReadOnlySpan{byte})"/>,
    /// <see cref="AddFrame"/>) and dispose it when done, or hand it to
    /// <see cref="Socket.SendAndDispose"/>, which returns it to the pool. Allocates nothing in steady state.
    /// </summary>
    public static Message Rent()
    {
        var last = t_last;
        if (last != null)
        {
            t_last = null;
            last._disposed = false;
            return last;
        }
        var cache = t_cache;
        if (cache != null)
        {
            for (int i = 0; i < cache.Length; i++)
            {
                var m = cache[i];
                if (m != null)
                {
                    cache[i] = null;
                    m._disposed = false;
                    return m;
                }
            }
        }
        return new Message();
    }

    /// <summary>Number of frames.</summary>
    public int Count
    {
        get
        {
            ThrowIfDisposed();
            return Frames.Count - Skip + (Prefix is null ? 0 : 1);
        }
    }

    /// <summary>The bytes of frame <paramref name="index"/>, valid until the message is disposed.</summary>
    public ReadOnlyMemory<byte> this[int index]
    {
        get
        {
            ThrowIfDisposed();
            if (Prefix is not null)
            {
                if (index == 0) return Prefix;
                index--;
            }
            CheckIndex(index);
            return Frames.FrameMemory(index + Skip);
        }
    }

    /// <summary>The bytes of frame <paramref name="index"/> as a span, valid until the message is disposed.</summary>
    public ReadOnlySpan<byte> GetSpan(int index)
    {
        ThrowIfDisposed();
        if (Prefix is not null)
        {
            if (index == 0) return Prefix;
            index--;
        }
        CheckIndex(index);
        return Frames.Frame(index + Skip);
    }

    /// <summary>
    /// A property of the connection this message came from, as libzmq's <c>zmq_msg_gets</c> gives
    /// it: <c>User-Id</c> (set by the ZAP handler), <c>Peer-Address</c>, <c>Socket-Type</c>,
    /// <c>Identity</c> and any other metadata the peer or the ZAP handler sent. Names are
    /// case-insensitive. Null when the property is unknown or the message did not come over tcp or ipc.
    /// </summary>
    public string? GetProperty(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfDisposed();
        return Frames.Properties?.Get(name);
    }

    /// <summary>All properties of the connection this message came from (empty for inproc and for messages built locally).</summary>
    public IReadOnlyDictionary<string, string> Properties
    {
        get
        {
            ThrowIfDisposed();
            return Frames.Properties?.All ?? EmptyProperties;
        }
    }

    private static readonly Dictionary<string, string> EmptyProperties = new();

    /// <summary>Frame <paramref name="index"/> decoded as UTF-8.</summary>
    public string GetString(int index) => Encoding.UTF8.GetString(GetSpan(index));

    /// <summary>A copy of frame <paramref name="index"/>.</summary>
    public byte[] ToArray(int index) => GetSpan(index).ToArray();

    /// <summary>Copies of all frames.</summary>
    public byte[][] ToArrays()
    {
        var result = new byte[Count][];
        for (int i = 0; i < result.Length; i++) result[i] = ToArray(i);
        return result;
    }

    /// <summary>Appends a frame (copied).</summary>
    public Message Add(ReadOnlySpan<byte> frame)
    {
        ThrowIfDisposed();
        Frames.Add(frame);
        return this;
    }

    /// <summary>
    /// Appends a frame of <paramref name="size"/> bytes and returns them to be written in place (the
    /// bytes are not cleared): a message built this way and sent with
    /// <see cref="Socket.SendAndDispose"/> reaches an inproc receiver without a single copy.
    /// The span is valid until another frame is added or the message is disposed.
    /// </summary>
    public Span<byte> AddFrame(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ThrowIfDisposed();
        return Frames.AddUninitialized(size);
    }

    /// <summary>Appends a frame holding <paramref name="text"/> as UTF-8.</summary>
    public Message Add(string text)
    {
        ThrowIfDisposed();
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var span = Frames.AddUninitialized(max);
        int written = Encoding.UTF8.GetBytes(text, span);
        // shrink the frame to what was written
        Frames.Ends[Frames.Count - 1] -= max - written;
        Frames.Length -= max - written;
        return this;
    }

    /// <summary>Appends an empty frame (e.g. a REQ/REP delimiter).</summary>
    public Message AddEmpty() => Add(ReadOnlySpan<byte>.Empty);

    /// <summary>Returns the message's buffers to the pool. Using the message afterwards throws.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Prefix = null;
        Skip = 0;
        RoutingId = 0;
        Frames.Recycle();
        if (t_last == null)
        {
            t_last = this;
            return;
        }
        var cache = t_cache ??= new Message?[CacheSize];
        for (int i = 0; i < cache.Length; i++)
        {
            if (cache[i] == null)
            {
                cache[i] = this;
                return;
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        if (_disposed) return "Message(disposed)";
        var sb = new StringBuilder("Message[");
        for (int i = 0; i < Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(GetSpan(i).Length).Append(" B");
        }
        return sb.Append(']').ToString();
    }

    /// <summary>True when the frames the application sees are exactly the buffer's (no routing id prefix, no hidden envelope): the buffer can be handed over as it is.</summary>
    internal bool CanHandOver => Frames.Length >= HandOverThreshold && !_disposed && Prefix is null && Skip == 0 && Frames.Kind == FrameSetKind.Data;

    /// <summary>Below this many bytes copying a message is cheaper than exchanging its buffer.</summary>
    private const int HandOverThreshold = 512;

    /// <summary>Gives this message's frames away and takes <paramref name="replacement"/> (a cleared buffer) in their place.</summary>
    internal FrameSet HandOver(FrameSet replacement)
    {
        var mine = Frames;
        mine.Properties = null;
        replacement.Recycle();
        Frames = replacement;
        return mine;
    }

    internal void ResetForReceive()
    {
        Prefix = null;
        Skip = 0;
        RoutingId = 0;
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)(Frames.Count - Skip)) throw new ArgumentOutOfRangeException(nameof(index));
    }

    private void ThrowIfDisposed()
    {
        if (_disposed) throw new ObjectDisposedException(nameof(Message));
    }
}
