namespace Zmq.Toolkit;

/// <summary>
/// CZMQ's zpoller and libzmq's zmq_poll: waits until one of many sockets (or actors) is ready to
/// receive, or to send where asked, without a thread per socket and without a busy loop (each
/// socket's <see cref="Socket.WatchReadiness"/> wakes the one waiting thread). Fair: each wait
/// starts looking after the socket it returned last, so a busy socket never starves the others.
/// The result tells readiness, time-out, cancellation, an interruption and a closed socket apart.
/// <see cref="Add(Socket, PollEvents)"/> and <see cref="Remove(Socket)"/> take effect at once, also while a
/// wait is running on another thread (a removed socket is never returned after Remove returns).
/// One wait at a time; Add and Remove from any thread.
/// </summary>
/// <example>
/// <code>
/// using var poller = new Poller(frontend, backend);
/// var r = poller.Wait(TimeSpan.FromSeconds(1));
/// if (r.Is(frontend)) Forward(frontend, backend);
/// else if (r.Status == PollStatus.TimedOut) Heartbeat();
/// </code>
/// </example>
public sealed class Poller : IDisposable
{
    private readonly Lock _gate = new();
    private Item[] _items = [];
    private readonly Wakeup _wakeup = new();
    private int _next;
    private int _waiting;
    private int _interrupted;
    private bool _disposed;

    /// <summary>A poller over <paramref name="readers"/>, each waited on for input (zpoller_new).</summary>
    public Poller(params Socket[] readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        foreach (var s in readers) Add(s);
    }

    /// <summary>The number of sockets in the poller.</summary>
    public int Count => Volatile.Read(ref _items).Length;

    /// <summary>
    /// Adds <paramref name="socket"/>, waited on for <paramref name="events"/> (input by default); for
    /// a socket already in the poller, changes what it is waited on for.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="events"/> is neither In nor Out nor both.</exception>
    /// <exception cref="ZmqException">The socket is disposed.</exception>
    public void Add(Socket socket, PollEvents events = PollEvents.In)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (events == PollEvents.None || (events & ~(PollEvents.In | PollEvents.Out)) != 0)
            throw new ArgumentException($"a socket is polled for In, Out or both, not {events}", nameof(events));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var item in _items)
            {
                if (ReferenceEquals(item.Socket, socket))
                {
                    item.Events = events;
                    _wakeup.Set();
                    return;
                }
            }
            var added = new Item(socket, events, socket.WatchReadiness(_wakeup.Set));
            _items = [.. _items, added];
        }
        _wakeup.Set(); // a running wait looks at it at once
    }

    /// <summary>Adds <paramref name="actor"/>'s pipe, waited on for input (a message from the actor).</summary>
    public void Add(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Add(actor.Pipe);
    }

    /// <summary>Removes <paramref name="socket"/>; true when it was in the poller. A wait running meanwhile never returns it afterwards.</summary>
    public bool Remove(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Item? removed = null;
        lock (_gate)
        {
            int i = Array.FindIndex(_items, it => ReferenceEquals(it.Socket, socket));
            if (i < 0) return false;
            removed = _items[i];
            removed.Removed = true;
            _items = [.. _items.AsSpan(0, i), .. _items.AsSpan(i + 1)];
        }
        removed.Watch.Dispose();
        _wakeup.Set();
        return true;
    }

    /// <summary>Removes <paramref name="actor"/>'s pipe; true when it was in the poller.</summary>
    public bool Remove(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Remove(actor.Pipe);
    }

    /// <summary>
    /// Waits until a socket is ready, at most <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: no limit; zero: just look). Never throws for a
    /// time-out or a cancellation: the result says so.
    /// </summary>
    public PollResult Wait(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long deadline = Deadline(timeout);
        Enter();
        try
        {
            while (true)
            {
                if (Look(deadline, cancellationToken, out int left) is { } done) return done;
                try
                {
                    _wakeup.Wait(left, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return PollResult.Cancelled;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _waiting, 0);
        }
    }

    /// <summary>Waits with no time limit until a socket is ready or <paramref name="cancellationToken"/> is cancelled.</summary>
    public PollResult Wait(CancellationToken cancellationToken = default) => Wait(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>As <see cref="Wait(TimeSpan, CancellationToken)"/>, without blocking a thread while it waits.</summary>
    public async ValueTask<PollResult> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long deadline = Deadline(timeout);
        Enter();
        try
        {
            while (true)
            {
                if (Look(deadline, cancellationToken, out int left) is { } done) return done;
                try
                {
                    await _wakeup.WaitAsync(left, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return PollResult.Cancelled;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _waiting, 0);
        }
    }

    /// <summary>
    /// zmq_poll: waits as <see cref="Wait(TimeSpan, CancellationToken)"/>, then puts every socket that is
    /// ready into <paramref name="ready"/> (cleared first), in the poller's fair order. Returns why it
    /// ended: <see cref="PollStatus.Ready"/> with at least one entry, or the time-out, cancellation or
    /// closed socket (then <paramref name="ready"/> holds that one, with <see cref="PollStatus.Closed"/>).
    /// </summary>
    public PollStatus WaitAll(List<PollResult> ready, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ready);
        ready.Clear();
        var first = Wait(timeout, cancellationToken);
        if (first.Status is PollStatus.TimedOut or PollStatus.Cancelled or PollStatus.Interrupted) return first.Status;
        ready.Add(first);
        if (first.Status == PollStatus.Closed) return PollStatus.Closed;
        foreach (var item in Volatile.Read(ref _items))
        {
            if (ReferenceEquals(item.Socket, first.Socket) || item.Removed) continue;
            try
            {
                var events = item.Socket.Events & item.Events;
                if (events != PollEvents.None) ready.Add(new PollResult(PollStatus.Ready, item.Socket, events));
            }
            catch (ZmqException e) when (e.Error is ZmqError.Disposed or ZmqError.ContextTerminated)
            {
                // reported by the next wait
            }
        }
        return PollStatus.Ready;
    }

    /// <summary>
    /// Makes the running wait return <see cref="PollStatus.Interrupted"/> at once (or the next wait,
    /// if none runs): how another thread gets a waiting loop's attention (a reactor's posted work).
    /// Callable from any thread; several calls before a wait ends it once.
    /// </summary>
    public void Interrupt()
    {
        Volatile.Write(ref _interrupted, 1);
        _wakeup.Set();
    }

    /// <summary>Removes every socket (they stay open: the poller owns none of them).</summary>
    public void Dispose()
    {
        Item[] items;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            items = _items;
            _items = [];
        }
        foreach (var item in items)
        {
            item.Removed = true;
            item.Watch.Dispose();
        }
        _wakeup.Set();
        _wakeup.Dispose();
    }

    private void Enter()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        if (Interlocked.Exchange(ref _waiting, 1) != 0)
            throw new InvalidOperationException("a Poller waits on one thread at a time: another wait is running");
    }

    /// <summary>One look of a wait: a result when it is over (ready, interrupted, cancelled, timed out), else how long to sleep.</summary>
    private PollResult? Look(long deadline, CancellationToken cancellationToken, out int left)
    {
        left = 0;
        if (Scan() is { } found) return found;
        if (Interlocked.Exchange(ref _interrupted, 0) != 0) return PollResult.Interrupted;
        if (cancellationToken.IsCancellationRequested) return PollResult.Cancelled;
        left = Left(deadline);
        return left == 0 ? PollResult.TimedOut : null;
    }

    /// <summary>Arms every watch, then looks at each socket from the one after the last returned; null when none is ready.</summary>
    private PollResult? Scan()
    {
        _wakeup.Reset();
        var items = Volatile.Read(ref _items);
        int n = items.Length;
        if (n == 0) return null;
        foreach (var item in items) item.Watch.Arm();
        int start = _next % n;
        for (int k = 0; k < n; k++)
        {
            int i = (start + k) % n;
            var item = items[i];
            PollEvents events;
            try
            {
                events = item.Socket.Events & item.Events;
            }
            catch (ZmqException e) when (e.Error is ZmqError.Disposed or ZmqError.ContextTerminated)
            {
                if (Remove(item.Socket)) return new PollResult(PollStatus.Closed, item.Socket, PollEvents.None);
                continue; // removed meanwhile
            }
            if (events == PollEvents.None) continue;
            lock (_gate)
            {
                if (item.Removed) continue; // Remove ran meanwhile: never returned after it
            }
            _next = i + 1;
            return new PollResult(PollStatus.Ready, item.Socket, events);
        }
        return null;
    }

    private static long Deadline(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return long.MaxValue;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        return Clock.NowMs + (long)Math.Ceiling(timeout.TotalMilliseconds);
    }

    /// <summary>Milliseconds left until <paramref name="deadline"/> (-1: no limit, 0: passed).</summary>
    private static int Left(long deadline)
    {
        if (deadline == long.MaxValue) return -1;
        return (int)Math.Clamp(deadline - Clock.NowMs, 0, int.MaxValue);
    }

    private sealed class Item(Socket socket, PollEvents events, ReadinessWatch watch)
    {
        public Socket Socket { get; } = socket;
        public PollEvents Events { get; set; } = events;
        public ReadinessWatch Watch { get; } = watch;
        public bool Removed { get; set; }
    }
}
