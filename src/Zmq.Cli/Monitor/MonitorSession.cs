using System.Diagnostics;
using System.Globalization;

namespace Zmq.Cli.Monitor;

/// <summary>
/// One <c>zmq monitor</c> run over an attached socket: prints each monitor event as it comes, counts
/// what the socket receives (REP echoes each request so its peer can go on), prints the count at
/// most once a second when it changed and once more at the end. Ends on <see cref="Run"/>'s token
/// (exit 0), after <c>count</c> messages (exit 0), or after <c>idle</c> without any event or
/// message (exit 1; connect retries do not count as events there).
/// </summary>
internal sealed class MonitorSession(Socket socket, SocketMonitor monitor, long? count, TimeSpan? idle)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CountEvery = TimeSpan.FromSeconds(1);
    private static readonly Lock s_out = new();

    private readonly ManualResetEventSlim _done = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _messages;
    private long _bytes;
    private long _lastActivityTicks;
    private volatile string? _error;

    public int Run(CancellationToken stop)
    {
        bool receives = SocketTypes.Receives(socket.Type);
        if (!receives)
            Print(DateTimeOffset.Now, $"{socket.Type.ToString().ToUpperInvariant()} sockets do not receive on their own: showing events only, no message count");
        var events = new Thread(() => PrintEvents(stop)) { IsBackground = true, Name = "zmq monitor events" };
        events.Start();
        Thread? receiver = null;
        if (receives)
        {
            receiver = new Thread(() => Receive(stop)) { IsBackground = true, Name = "zmq monitor receive" };
            receiver.Start();
        }

        long printed = 0;
        var lastPrint = TimeSpan.Zero;
        int exit = ExitCodes.Ok;
        while (!stop.IsCancellationRequested)
        {
            WaitHandle.WaitAny([stop.WaitHandle, _done.WaitHandle], Poll);
            long now = Interlocked.Read(ref _messages);
            if (receives && now != printed && _clock.Elapsed - lastPrint >= CountEvery)
            {
                PrintCount(now);
                printed = now;
                lastPrint = _clock.Elapsed;
            }
            if (_done.IsSet) break;
            if (idle is { } limit && _clock.Elapsed - TimeSpan.FromTicks(Interlocked.Read(ref _lastActivityTicks)) > limit)
            {
                _error = $"no message and no event (other than connect retries) for {limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (--timeout)";
                break;
            }
        }
        _done.Set();
        events.Join(Poll * 5);
        receiver?.Join(Poll * 5);
        while (monitor.TryRead(out var e)) Print(e.Time.ToLocalTime(), e.ToString()); // what came in meanwhile, before the last count
        if (receives) PrintCount(Interlocked.Read(ref _messages));
        if (_error is { } error)
        {
            Console.Error.WriteLine("zmq monitor: " + error);
            exit = ExitCodes.Failure;
        }
        return exit;
    }

    private void PrintEvents(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !_done.IsSet)
        {
            if (!monitor.TryRead(Poll, out var e))
            {
                if (monitor.Completion.IsCompleted) return;
                continue;
            }
            if (!IsRetryNoise(e.Type)) Touch();
            Print(e.Time.ToLocalTime(), e.ToString());
        }
    }

    private void Receive(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested && !_done.IsSet)
            {
                if (!socket.TryReceive(Poll, out var m)) continue;
                using (m)
                {
                    long size = 0;
                    for (int i = 0; i < m.Count; i++) size += m.GetSpan(i).Length;
                    Interlocked.Add(ref _bytes, size);
                    long n = Interlocked.Increment(ref _messages);
                    Touch();
                    if (socket.Type == SocketType.Rep) socket.Send(m); // REP must answer before it may receive again
                    if (count is { } limit && n >= limit)
                    {
                        _done.Set();
                        return;
                    }
                }
            }
        }
        catch (ZmqException e) when (!socket.IsDisposed)
        {
            _error = "receiving failed: " + e.Message;
            _done.Set();
        }
    }

    /// <summary>
    /// The events a connect to an absent peer repeats forever: they do not hold off --timeout, or it
    /// would never fire while waiting for a peer that never comes.
    /// </summary>
    private static bool IsRetryNoise(MonitorEventType type) =>
        type is MonitorEventType.ConnectDelayed or MonitorEventType.ConnectRetried or MonitorEventType.Closed;

    private void Touch() => Interlocked.Exchange(ref _lastActivityTicks, _clock.Elapsed.Ticks);

    private void PrintCount(long messages)
    {
        long bytes = Interlocked.Read(ref _bytes);
        Print(DateTimeOffset.Now, string.Create(CultureInfo.InvariantCulture,
            $"received {messages} message{(messages == 1 ? "" : "s")}, {bytes} byte{(bytes == 1 ? "" : "s")}"));
    }

    private static void Print(DateTimeOffset time, string line)
    {
        lock (s_out) Console.WriteLine(time.ToString("HH:mm:ss.fff ", CultureInfo.InvariantCulture) + line);
    }
}
