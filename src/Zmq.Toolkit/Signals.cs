using System.Buffers.Binary;

namespace Zmq.Toolkit;

/// <summary>
/// CZMQ's signals (zsock_signal, zsock_wait): a one-frame message of 8 bytes, the 64-bit value
/// 0x7766554433221100 plus a status byte, little-endian as CZMQ writes it on x86-64. Actors use
/// them to say "ready" and "done"; they work over any socket type that can send and receive.
/// </summary>
public static class Signals
{
    /// <summary>The signal value with status 0.</summary>
    public const ulong Base = 0x7766554433221100UL;

    /// <summary>Sends a signal with <paramref name="status"/> (0 is success by CZMQ's convention).</summary>
    public static void Signal(this Socket socket, byte status = 0)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> frame = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(frame, Base + status);
        socket.Send(frame);
    }

    /// <summary>
    /// Receives until a signal arrives and returns its status; other messages are read and
    /// discarded, as zsock_wait does. Waits at most <paramref name="timeout"/> in all
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: as long as it takes).
    /// </summary>
    /// <exception cref="ZmqTimeoutException">No signal within <paramref name="timeout"/>.</exception>
    public static byte WaitSignal(this Socket socket, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Clock.NowMs + (long)timeout.TotalMilliseconds;
        while (true)
        {
            var left = deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(0, deadline - Clock.NowMs));
            if (!socket.TryReceive(left, out var message))
                throw new ZmqTimeoutException($"no signal within {timeout.TotalMilliseconds:0} ms", socket.Type);
            using (message)
            {
                if (IsSignal(message, out byte status)) return status;
            }
        }
    }

    /// <summary>True when <paramref name="message"/> is a signal (one frame, 8 bytes, the signal value), with its status.</summary>
    public static bool IsSignal(Message message, out byte status)
    {
        ArgumentNullException.ThrowIfNull(message);
        status = 0;
        if (message.Count != 1) return false;
        var frame = message.GetSpan(0);
        if (frame.Length != 8) return false;
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(frame);
        if ((value & ~0xFFUL) != Base) return false;
        status = (byte)value;
        return true;
    }
}
