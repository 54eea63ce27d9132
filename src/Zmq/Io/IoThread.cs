using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Zmq.Io;

/// <summary>Work an I/O thread runs: a posted command, a timer that fired, a deferred step.</summary>
internal interface IIoWork
{
    /// <summary>Runs on the I/O thread; <paramref name="op"/> says what (each implementer's own numbering).</summary>
    void RunIo(int op);
}

/// <summary>
/// One of a context's I/O threads: a loop over a readiness poller that serves many connections,
/// listeners and connect attempts at once, plus their timers and the commands other threads post
/// to them. Nothing on it blocks: sockets are non-blocking, and work that could take long (a
/// flood of CURVE handshakes) is budgeted per turn so the other connections keep being served.
/// A context owns a fixed number of these (<see cref="Context.IoThreads"/>), whatever the number
/// of connections.
/// </summary>
internal sealed class IoThread : IDisposable
{
    /// <summary>Handshake work (key exchanges, above all) allowed per loop turn before the rest waits a turn.</summary>
    private static readonly long HandshakeBudgetTicks = Stopwatch.Frequency / 500; // 2 ms

    private readonly Thread _thread;
    private readonly IPoller _poller;
    private readonly ILogger _logger;
    private readonly Lock _postLock = new();
    private (IIoWork Work, int Op)[] _posted = new (IIoWork, int)[64];
    private (IIoWork Work, int Op)[] _running = new (IIoWork, int)[64];
    private int _postedCount;
    private int _sleeping;
    private int _wakeSent;
    private readonly PriorityQueue<(IoTimer Timer, int Version), long> _timers = new();
    private readonly Queue<(IIoWork Work, int Op)> _deferred = new();
    private readonly PollHandle[] _ready = new PollHandle[256];
    private readonly IoEvents[] _readyEvents = new IoEvents[256];
    private long _handshakeTicks;
    private volatile bool _stopping;

    public IoThread(string name, ILogger logger, bool portablePoller = false)
    {
        Name = name;
        _logger = logger;
        _poller = Pollers.Create(portablePoller);
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public string Name { get; }

    /// <summary>The buffer every connection of this thread reads into (they parse all of it before the next read).</summary>
    public byte[] ReadScratch { get; } = GC.AllocateUninitializedArray<byte>(BufferPool.Size);

    /// <summary>The batch every connection of this thread encodes into (what the kernel does not take is copied out).</summary>
    public byte[] WriteScratch { get; } = GC.AllocateUninitializedArray<byte>(BufferPool.Size);

    /// <summary>"epoll" or "portable".</summary>
    public string PollerName => _poller.Name;

    /// <summary>True on this I/O thread itself.</summary>
    public bool IsCurrent => Thread.CurrentThread == _thread;

    // ---- from any thread ----

    /// <summary>Queues <paramref name="work"/> to run on this thread soon, waking it if it sleeps.</summary>
    public void Post(IIoWork work, int op)
    {
        lock (_postLock)
        {
            if (_postedCount == _posted.Length) Array.Resize(ref _posted, _posted.Length * 2);
            _posted[_postedCount++] = (work, op);
        }
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.CompareExchange(ref _wakeSent, 1, 0) == 0) _poller.Wake();
    }

    // ---- on this thread only ----

    public void Register(PollHandle handle)
    {
        Debug.Assert(IsCurrent);
        _poller.Add(handle);
    }

    /// <summary>Changes what a registered socket waits for; no system call when nothing changes.</summary>
    public void SetInterest(PollHandle handle, bool read, bool write)
    {
        Debug.Assert(IsCurrent);
        if (handle.WantRead == read && handle.WantWrite == write) return;
        handle.WantRead = read;
        handle.WantWrite = write;
        _poller.Update(handle);
    }

    public void Unregister(PollHandle handle)
    {
        Debug.Assert(IsCurrent);
        _poller.Remove(handle);
    }

    internal void Schedule(IoTimer timer) => _timers.Enqueue((timer, timer.Version), timer.Due);

    /// <summary>True while this turn's handshake budget lasts; handshakes beyond it wait for the next turn (<see cref="Defer"/>).</summary>
    public bool HandshakeBudgetLeft => _handshakeTicks < HandshakeBudgetTicks;

    /// <summary>Counts handshake work done this turn against the budget.</summary>
    public void ChargeHandshake(long stopwatchTicks) => _handshakeTicks += stopwatchTicks;

    /// <summary>Runs <paramref name="work"/> on the next loop turn, after that turn's events.</summary>
    public void Defer(IIoWork work, int op) => _deferred.Enqueue((work, op));

    private void Loop()
    {
        while (!_stopping)
        {
            int timeout = _deferred.Count > 0 ? 0 : NextTimeout();
            Volatile.Write(ref _sleeping, 1);
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _postedCount) > 0) timeout = 0;
            int n;
            try
            {
                n = _poller.Wait(timeout, _ready, _readyEvents);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "{Thread}: the poller failed; retrying", Name);
                Thread.Sleep(10);
                n = 0;
            }
            Volatile.Write(ref _sleeping, 0);
            Volatile.Write(ref _wakeSent, 0);
            _handshakeTicks = 0;

            for (int i = 0; i < n; i++)
            {
                var h = _ready[i];
                _ready[i] = null!;
                if (!h.Registered) continue; // removed by an earlier event of this turn
                try
                {
                    h.Target.OnPoll(_readyEvents[i]);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "{Thread}: unexpected failure in an event handler", Name);
                }
            }
            RunPosted();
            RunTimers();
            RunDeferred();
        }
        _poller.Dispose();
    }

    private void RunPosted()
    {
        while (true)
        {
            int count;
            lock (_postLock)
            {
                count = _postedCount;
                if (count == 0) return;
                (_posted, _running) = (_running, _posted);
                _postedCount = 0;
            }
            for (int i = 0; i < count; i++)
            {
                var (work, op) = _running[i];
                _running[i] = default;
                Run(work, op);
            }
        }
    }

    private void RunTimers()
    {
        long now = Environment.TickCount64;
        while (_timers.TryPeek(out var entry, out long due) && due <= now)
        {
            _timers.Dequeue();
            var t = entry.Timer;
            if (t.Version != entry.Version || !t.IsArmed) continue; // cancelled or restarted since
            t.IsArmed = false;
            Run(t.Target, t.Op);
        }
    }

    private void RunDeferred()
    {
        // What was deferred before this turn; work deferred again waits for the next one.
        int count = _deferred.Count;
        for (int i = 0; i < count; i++)
        {
            var (work, op) = _deferred.Dequeue();
            Run(work, op);
        }
    }

    private int NextTimeout()
    {
        while (_timers.TryPeek(out var entry, out long due))
        {
            if (entry.Timer.Version != entry.Version || !entry.Timer.IsArmed)
            {
                _timers.Dequeue(); // stale: drop it now rather than wake for it
                continue;
            }
            long left = due - Environment.TickCount64;
            return left <= 0 ? 0 : (int)Math.Min(left, int.MaxValue);
        }
        return -1;
    }

    private void Run(IIoWork work, int op)
    {
        try
        {
            work.RunIo(op);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "{Thread}: unexpected failure in I/O work", Name);
        }
    }

    /// <summary>Stops the loop (whatever is still registered is abandoned) and waits for the thread, at most a second.</summary>
    public void Dispose()
    {
        _stopping = true;
        _poller.Wake();
        if (!IsCurrent) _thread.Join(1000);
    }
}

/// <summary>
/// A one-shot timer of an I/O thread (restart it to repeat). Started and cancelled on that thread
/// only; cancelling or restarting costs nothing in the queue (stale entries are skipped).
/// </summary>
internal sealed class IoTimer(IoThread io, IIoWork target, int op)
{
    internal readonly IIoWork Target = target;
    internal readonly int Op = op;
    internal int Version;
    internal long Due;

    /// <summary>True from <see cref="Start"/> until it fires or is cancelled.</summary>
    public bool IsArmed { get; internal set; }

    /// <summary>Fires once, <paramref name="delayMs"/> from now (replacing any earlier start).</summary>
    public void Start(long delayMs)
    {
        Version++;
        IsArmed = true;
        Due = Environment.TickCount64 + Math.Max(0, delayMs);
        io.Schedule(this);
    }

    public void Cancel()
    {
        Version++;
        IsArmed = false;
    }
}
