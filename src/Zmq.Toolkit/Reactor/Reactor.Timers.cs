namespace Zmq.Toolkit;

public sealed partial class Reactor
{
    private readonly PriorityQueue<(ReactorTimer Timer, int Version), (long Due, long Order)> _timers = new();
    private readonly List<(ReactorTimer Timer, int Version)> _due = [];
    private long _order;
    private int _liveTimers;

    private bool HasTimers => _liveTimers > 0;

    private long NextTimerDue
    {
        get
        {
            while (_timers.TryPeek(out var entry, out var key))
            {
                if (IsCurrent(entry)) return key.Due;
                _timers.Dequeue(); // cancelled or reset: a stale entry
            }
            return long.MaxValue;
        }
    }

    /// <summary>
    /// Calls <paramref name="handler"/> after <paramref name="delay"/>, <paramref name="times"/>
    /// times in all (0: for ever), <paramref name="delay"/> apart (zloop_timer, ztimerset_add).
    /// The timer can be cancelled or reset through what this returns, also from its own handler.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative delay or count.</exception>
    public ReactorTimer AddTimer(TimeSpan delay, int times, Action<ReactorTimer> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        ThrowIfDisposed();
        var timer = new ReactorTimer(this, delay, times, handler);
        _liveTimers++;
        Schedule(timer, Clock.NowMs);
        _poller.Interrupt(); // a running wait recomputes its time-out
        return timer;
    }

    internal void Schedule(ReactorTimer timer, long from)
    {
        long due = from + 1 + (long)Math.Ceiling(timer.Delay.TotalMilliseconds); // +1: the clock reads whole milliseconds; a timer is never early
        _timers.Enqueue((timer, ++timer.Version), (due, _order++));
    }

    /// <summary>An entry of the queue that is the timer's latest schedule (a reset or cancel leaves older ones behind).</summary>
    private static bool IsCurrent((ReactorTimer Timer, int Version) entry) => !entry.Timer.Cancelled && entry.Timer.Version == entry.Version;

    internal void Cancelled(ReactorTimer timer) => _liveTimers--;

    /// <summary>
    /// Calls the timers due by <paramref name="now"/>, in order of expiry. They are taken out first,
    /// then rescheduled one by one as they are called: one that comes due again at once (a zero
    /// delay) waits for the next turn, and one that an earlier handler of the turn cancelled or
    /// reset is not called.
    /// </summary>
    private void FireTimers(long now)
    {
        _due.Clear();
        while (_timers.TryPeek(out var entry, out var key) && key.Due <= now)
        {
            _timers.Dequeue();
            if (IsCurrent(entry)) _due.Add(entry);
        }
        for (int i = 0; i < _due.Count; i++)
        {
            var entry = _due[i];
            if (!IsCurrent(entry)) continue;
            if (Volatile.Read(ref _stop) != 0)
            {
                _timers.Enqueue(entry, (now, _order++)); // still due: called at the next Run
                continue;
            }
            var timer = entry.Timer;
            if (timer.Remaining > 0 && --timer.Remaining == 0) timer.Cancel();
            else Schedule(timer, now);
            try
            {
                Invoke(timer.Handler, timer, "timer");
            }
            catch
            {
                for (int j = i + 1; j < _due.Count; j++)
                    if (IsCurrent(_due[j])) _timers.Enqueue(_due[j], (now, _order++));
                throw;
            }
        }
    }

    private void ClearTimers()
    {
        while (_timers.TryDequeue(out var entry, out _)) entry.Timer.Cancelled = true;
        _liveTimers = 0;
        ClearTickets();
    }
}

/// <summary>A timer of a <see cref="Reactor"/> (<see cref="Reactor.AddTimer"/>): cancel it, or reset it to start its delay again.</summary>
public sealed class ReactorTimer
{
    private readonly Reactor _reactor;

    internal ReactorTimer(Reactor reactor, TimeSpan delay, int times, Action<ReactorTimer> handler)
    {
        _reactor = reactor;
        Delay = delay;
        Remaining = times;
        Handler = handler;
    }

    /// <summary>The time between calls.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Calls still to come (0: for ever, while not cancelled).</summary>
    public int Remaining { get; internal set; }

    /// <summary>True once cancelled or after its last call.</summary>
    public bool Cancelled { get; internal set; }

    internal Action<ReactorTimer> Handler { get; }

    internal int Version { get; set; }

    /// <summary>No more calls (zloop_timer_end, ztimerset_cancel). On the reactor's thread.</summary>
    public void Cancel()
    {
        if (Cancelled) return;
        Cancelled = true;
        _reactor.Cancelled(this);
    }

    /// <summary>The next call comes a whole <see cref="Delay"/> from now (ztimerset_reset). On the reactor's thread.</summary>
    /// <exception cref="InvalidOperationException">The timer was cancelled or has run out.</exception>
    public void Reset()
    {
        if (Cancelled) throw new InvalidOperationException("a cancelled timer cannot be reset; add a new one");
        _reactor.Schedule(this, Clock.NowMs);
    }
}
