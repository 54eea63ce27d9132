using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Io;

/// <summary>Readiness reported for one registered socket.</summary>
[Flags]
internal enum IoEvents : byte
{
    None = 0,
    Readable = 1,
    Writable = 2,
    /// <summary>An error or hang-up: the next read or write says which.</summary>
    Error = 4,
}

/// <summary>What an I/O thread calls when a registered socket is ready.</summary>
internal interface IPollTarget
{
    /// <summary>The socket is ready; runs on the I/O thread that registered it.</summary>
    void OnPoll(IoEvents events);
}

/// <summary>
/// One socket registered with a poller: which readiness its owner wants now. Changed only on the
/// I/O thread that registered it (through <see cref="IoThread.SetInterest"/>).
/// </summary>
internal sealed class PollHandle(NetSocket socket, IPollTarget target)
{
    public readonly NetSocket Socket = socket;
    public readonly IPollTarget Target = target;
    public readonly int Fd = (int)socket.Handle;
    public bool WantRead;
    public bool WantWrite;

    /// <summary>The poller's slot and generation for this registration (a stale event for a reused slot is dropped).</summary>
    internal int Slot = -1;
    internal uint Generation;
    internal bool Registered;
    internal bool InKernel;
}

/// <summary>
/// Readiness-based multiplexing of many sockets on one thread (level-triggered): the one seam
/// between the I/O core and the operating system. <see cref="EpollPoller"/> on Linux; everywhere
/// else, or when asked (<c>ZMQ_POLLER=portable</c>), <see cref="SelectPoller"/> over .NET's
/// Socket.Select (poll/select), which is slower at scale but runs on every platform.
/// Every method but <see cref="Wake"/> is called on the owning I/O thread only.
/// </summary>
internal interface IPoller : IDisposable
{
    void Add(PollHandle handle);

    /// <summary>The handle's <see cref="PollHandle.WantRead"/>/<see cref="PollHandle.WantWrite"/> changed.</summary>
    void Update(PollHandle handle);

    void Remove(PollHandle handle);

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> (-1: until an event or a wake) and fills
    /// <paramref name="ready"/>/<paramref name="events"/>; returns how many. A wake from
    /// <see cref="Wake"/> returns early and is consumed here.
    /// </summary>
    int Wait(int timeoutMs, PollHandle[] ready, IoEvents[] events);

    /// <summary>Makes a current or the next <see cref="Wait"/> return; from any thread.</summary>
    void Wake();

    /// <summary>For logs and tests: "epoll" or "portable".</summary>
    string Name { get; }
}

internal static class Pollers
{
    /// <summary>The environment variable that forces the portable poller (value <c>portable</c>), e.g. to test it on Linux.</summary>
    public const string EnvironmentVariable = "ZMQ_POLLER";

    public static IPoller Create(bool forcePortable = false)
    {
        bool portable = forcePortable || string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable), "portable", StringComparison.OrdinalIgnoreCase);
        if (!portable && OperatingSystem.IsLinux())
        {
            try
            {
                return new EpollPoller();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or IOException)
            {
                // An unusual C library: fall back to the portable poller.
            }
        }
        return new SelectPoller();
    }
}
