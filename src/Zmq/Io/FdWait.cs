using System.Runtime.InteropServices;

namespace Zmq.Io;

/// <summary>
/// An eventfd (Linux) that a <see cref="Internal.Signal"/> writes to when a thread waits in
/// <see cref="FdWait.Poll"/> instead of on the signal's monitor: a receive blocked on its one
/// connection's socket can then be woken by anything else as well (another message, a close).
/// </summary>
internal sealed partial class EventFd : SafeHandle
{
    private const int Cloexec = 0x80000, NonBlock = 0x800;

    private EventFd() : base(-1, ownsHandle: true) { }

    public override bool IsInvalid => handle == -1;

    /// <summary>A new eventfd, or null where there is none (not Linux, or it failed).</summary>
    public static EventFd? TryCreate()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            int fd = eventfd(0, Cloexec | NonBlock);
            if (fd < 0) return null;
            var h = new EventFd();
            h.SetHandle(fd);
            return h;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Makes the descriptor readable (wakes a poller); harmless when nobody polls.</summary>
    public unsafe void Signal()
    {
        bool added = false;
        try
        {
            DangerousAddRef(ref added);
            ulong one = 1;
            write((int)handle, &one, 8);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added) DangerousRelease();
        }
    }

    /// <summary>Consumes what <see cref="Signal"/> wrote (the descriptor is non-blocking).</summary>
    public unsafe void Drain(int fd)
    {
        ulong value;
        read(fd, &value, 8);
    }

    protected override bool ReleaseHandle() => close((int)handle) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, void* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, void* buf, nint count);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}

/// <summary>poll(2) on two descriptors, for a caller that waits on its connection's socket itself.</summary>
internal static partial class FdWait
{
    private const short PollIn = 1;
    private const int EIntr = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>
    /// Waits until <paramref name="socketFd"/> or <paramref name="wakeFd"/> is readable, or
    /// <paramref name="timeoutMs"/> passed (-1: no limit). Returns true when the wake descriptor fired.
    /// </summary>
    public static unsafe bool Poll(int socketFd, int wakeFd, int timeoutMs)
    {
        PollFd* fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = socketFd, Events = PollIn };
        fds[1] = new PollFd { Fd = wakeFd, Events = PollIn };
        long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        while (true)
        {
            int n = poll(fds, 2, timeoutMs);
            if (n >= 0) return n > 0 && fds[1].Revents != 0;
            if (Marshal.GetLastPInvokeError() != EIntr) return false;
            if (deadline != long.MaxValue)
            {
                timeoutMs = (int)Math.Max(0, deadline - Environment.TickCount64);
                if (timeoutMs == 0) return false;
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int poll(PollFd* fds, nuint nfds, int timeout);
}
