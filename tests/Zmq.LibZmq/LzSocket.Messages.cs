using System.Runtime.InteropServices;
using System.Text;

namespace Zmq.LibZmq;

public sealed partial class LzSocket
{
    /// <summary>zmq_send of one frame (copied by libzmq). False when it would block: SNDTIMEO expired, or DONTWAIT.</summary>
    public bool Send(ReadOnlySpan<byte> frame, bool more = false) => Send(frame, more ? LzFlags.SendMore : LzFlags.None);

    /// <summary>zmq_send with raw <see cref="LzFlags"/> (DontWait, SendMore). False on EAGAIN.</summary>
    public unsafe bool Send(ReadOnlySpan<byte> frame, int flags)
    {
        var handle = Handle;
        fixed (byte* p = frame)
        {
            while (true)
            {
                if (Native.zmq_send(handle, p, (nuint)frame.Length, flags) >= 0)
                    return true;
                var errno = Native.zmq_errno();
                if (errno == LzErrno.EIntr)
                    continue;
                if (errno == LzErrno.EAgain)
                    return false;
                throw new LzException(errno, $"zmq_send failed: {LibZmq.StrError(errno)} (errno {errno})");
            }
        }
    }

    /// <summary>Sends a UTF-8 string frame. False on EAGAIN.</summary>
    public bool SendString(string frame, bool more = false) => Send(Encoding.UTF8.GetBytes(frame), more);

    /// <summary>Sends all frames as one message. False when the first frame times out; libzmq then accepts the rest at once.</summary>
    public bool SendMultipart(params byte[][] frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Length == 0)
            throw new ArgumentException("A message has at least one frame.", nameof(frames));
        for (var i = 0; i < frames.Length; i++)
        {
            if (Send(frames[i], i < frames.Length - 1))
                continue;
            if (i == 0)
                return false;
            throw new LzException(LzErrno.EAgain, $"zmq_send timed out on frame {i} of a multipart message");
        }
        return true;
    }

    /// <summary>Receives one frame as a new array; null when RCVTIMEO expired.</summary>
    public byte[]? Receive() => Receive(out _, LzFlags.None);

    /// <summary>Receives one frame (zmq_msg_recv) as a new array; <paramref name="more"/> tells whether frames follow. Null when RCVTIMEO expired.</summary>
    public byte[]? Receive(out bool more) => Receive(out more, LzFlags.None);

    /// <summary>As <see cref="Receive(out bool)"/> with raw flags (<see cref="LzFlags.DontWait"/>): null on EAGAIN.</summary>
    public unsafe byte[]? Receive(out bool more, int flags)
    {
        ZmqMsg msg = default;
        Native.zmq_msg_init(&msg);
        try
        {
            if (!ReceiveMsg(&msg, flags))
            {
                more = false;
                return null;
            }
            more = Native.zmq_msg_more(&msg) != 0;
            return new ReadOnlySpan<byte>(Native.zmq_msg_data(&msg), (int)Native.zmq_msg_size(&msg)).ToArray();
        }
        finally
        {
            Native.zmq_msg_close(&msg);
        }
    }

    /// <summary>Receives one frame as a UTF-8 string; null when RCVTIMEO expired.</summary>
    public string? ReceiveString() => Receive() is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Receives all frames of one message; null when RCVTIMEO expired before the first frame.</summary>
    public List<byte[]>? ReceiveMultipart()
    {
        var first = Receive(out var more);
        if (first is null)
            return null;
        var frames = new List<byte[]> { first };
        while (more)
        {
            // libzmq delivers a message's frames together: the rest never waits.
            frames.Add(Receive(out more) ?? throw new LzException(LzErrno.EAgain, "zmq_msg_recv timed out inside a multipart message"));
        }
        return frames;
    }

    /// <summary>
    /// zmq_recv into a caller buffer, allocating nothing. Returns the frame's full size (larger than
    /// the buffer when it was truncated), or -1 on EAGAIN (RCVTIMEO expired, or DontWait).
    /// Use <see cref="HasMore"/> for the more flag.
    /// </summary>
    public unsafe int ReceiveInto(Span<byte> buffer, int flags = LzFlags.None)
    {
        var handle = Handle;
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var size = Native.zmq_recv(handle, p, (nuint)buffer.Length, flags);
                if (size >= 0)
                    return size;
                var errno = Native.zmq_errno();
                if (errno == LzErrno.EIntr)
                    continue;
                if (errno == LzErrno.EAgain)
                    return -1;
                throw new LzException(errno, $"zmq_recv failed: {LibZmq.StrError(errno)} (errno {errno})");
            }
        }
    }

    /// <summary>ZMQ_RCVMORE: whether the last frame received has more frames after it.</summary>
    public bool HasMore => GetInt(LzOption.RcvMore) != 0;

    /// <summary>
    /// Receives one frame with the metadata properties asked for (zmq_msg_gets), e.g.
    /// "Socket-Type", "Routing-Id", "Peer-Address", "User-Id", or ZAP metadata names.
    /// A property the frame lacks maps to null. Null when RCVTIMEO expired.
    /// </summary>
    public unsafe LzReceived? ReceiveWithMetadata(params string[] properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ZmqMsg msg = default;
        Native.zmq_msg_init(&msg);
        try
        {
            if (!ReceiveMsg(&msg, LzFlags.None))
                return null;
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in properties)
            {
                var value = Native.zmq_msg_gets(&msg, property);
                values[property] = value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
            }
            var data = new ReadOnlySpan<byte>(Native.zmq_msg_data(&msg), (int)Native.zmq_msg_size(&msg)).ToArray();
            return new LzReceived(data, Native.zmq_msg_more(&msg) != 0, values);
        }
        finally
        {
            Native.zmq_msg_close(&msg);
        }
    }

    private unsafe bool ReceiveMsg(ZmqMsg* msg, int flags)
    {
        var handle = Handle;
        while (true)
        {
            if (Native.zmq_msg_recv(msg, handle, flags) >= 0)
                return true;
            var errno = Native.zmq_errno();
            if (errno == LzErrno.EIntr)
                continue;
            if (errno == LzErrno.EAgain)
                return false;
            throw new LzException(errno, $"zmq_msg_recv failed: {LibZmq.StrError(errno)} (errno {errno})");
        }
    }
}
