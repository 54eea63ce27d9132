using System.Runtime.InteropServices;

namespace Zmq.Engine;

/// <summary>
/// What the peer has not read yet of what we wrote, for an honest count when LINGER runs out:
/// messages taken from the queue and written are not "delivered" until the peer's side has them.
/// On Linux the kernel says how many written bytes the peer has not taken (SIOCOUTQ: unacknowledged
/// over tcp, unread over ipc); the message count is estimated from the average message size written.
/// </summary>
internal sealed partial class ZmtpConnection
{
    private long _messagesWritten; // updated under _wlock by whoever writes
    private long _bytesWritten;

    /// <summary>
    /// About how many written messages the peer has not received yet (0 when all arrived or the
    /// kernel cannot tell; at least 1 when some bytes are still outstanding).
    /// </summary>
    public int UnreceivedMessagesEstimate()
    {
        long outq = OutstandingBytes();
        long messages = Volatile.Read(ref _messagesWritten), bytes = Volatile.Read(ref _bytesWritten);
        if (outq <= 0 || messages == 0 || bytes == 0) return 0;
        long estimate = (long)Math.Ceiling(outq / ((double)bytes / messages));
        return (int)Math.Clamp(estimate, 1, Math.Min(messages, int.MaxValue));
    }

    private long OutstandingBytes()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            const nuint SiocOutq = 0x5411;
            int value = 0;
            if (ioctl((int)_sock.Handle, SiocOutq, ref value) != 0) return 0;
            // After our half-close the FIN takes one sequence number over tcp until it is acknowledged.
            return _sock.ProtocolType == System.Net.Sockets.ProtocolType.Tcp ? Math.Max(0, value - 1) : value;
        }
        catch (Exception e) when (e is ObjectDisposedException or DllNotFoundException or EntryPointNotFoundException)
        {
            return 0; // closed meanwhile, or a C library without ioctl under that name: no estimate
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, nuint request, ref int value);
}
