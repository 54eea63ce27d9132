namespace Zmq.Internal;

/// <summary>
/// The side of a pipe that may sleep: a producer tests <see cref="HasSleepers"/> after publishing
/// (one volatile read) and calls <see cref="Notify"/> only when it is set. Sockets wait on a
/// <see cref="Signal"/>; a connection's engine has its own waker that schedules I/O instead.
/// </summary>
internal abstract class Waker
{
    /// <summary>True when the other side armed this waker (it sleeps, or is about to).</summary>
    public abstract bool HasSleepers { get; }

    /// <summary>Wakes the sleeping side (disarming the waker); a no-op when it is not armed.</summary>
    public abstract void Notify();
}

/// <summary>
/// "Something changed" for threads that wait on a condition they check themselves (a queue became
/// non-empty or non-full). The hot path of a producer is one volatile read
/// (<see cref="HasSleepers"/>); waiters pay the lock. Waiter protocol:
/// <code>
/// if (TryX()) return; var e = s.Prepare(); if (TryX()) { s.Cancel(); return; } s.Wait(e, ...);
/// </code>
/// Producer protocol: publish, full fence, <c>if (s.HasSleepers) s.Notify()</c>. A notification
/// disarms the signal, so a burst of producers wakes a sleeping consumer once, not once each.
/// </summary>
internal sealed class Signal : Waker
{
    private readonly object _gate = new();
    private int _armed; // 1 from a waiter's Prepare until the next Notify: producers wake once per arming
    private int _epoch;
    private TaskCompletionSource? _async;
    private Action? _callback;
    private Action[] _listeners = [];
    private Io.EventFd? _wakeFd;
    private int _pollWaiters;
    private bool _disposed;

    public override bool HasSleepers => Volatile.Read(ref _armed) != 0;

    /// <summary>Registers a waiter and returns the epoch to wait on. Acts as a full fence.</summary>
    public int Prepare()
    {
        lock (_gate)
        {
            Volatile.Write(ref _armed, 1);
            return _epoch;
        }
    }

    /// <summary>The current epoch (advanced by every notification).</summary>
    public int Epoch => Volatile.Read(ref _epoch);

    /// <summary>
    /// The eventfd a waiter may poll beside a socket descriptor (see <see cref="BeginPollWait"/>),
    /// created on first use; null where there is none.
    /// </summary>
    public Io.EventFd? WakeFd
    {
        get
        {
            lock (_gate) return _disposed ? null : _wakeFd ??= Io.EventFd.TryCreate();
        }
    }

    /// <summary>A waiter polls <see cref="WakeFd"/> from now on: notifications also write to it. Then check <see cref="Epoch"/> before polling.</summary>
    public void BeginPollWait() => Interlocked.Increment(ref _pollWaiters);

    public void EndPollWait() => Interlocked.Decrement(ref _pollWaiters);

    /// <summary>Closes the eventfd, if one was made (the signal's owner is gone).</summary>
    public void Dispose()
    {
        Io.EventFd? fd;
        lock (_gate)
        {
            _disposed = true;
            fd = _wakeFd;
            _wakeFd = null;
        }
        fd?.Dispose();
    }

    /// <summary>A waiter that did not wait after all. Nothing to undo: a signal left armed costs at most one spurious Notify.</summary>
    public void Cancel() { }

    /// <summary>Waits until notified after <paramref name="epoch"/> or the time-out; false when it timed out.</summary>
    public bool Wait(int epoch, int timeoutMs)
    {
        lock (_gate)
        {
            if (_epoch != epoch) return true;
            if (timeoutMs < 0)
            {
                while (_epoch == epoch) Monitor.Wait(_gate);
                return true;
            }
            long deadline = Environment.TickCount64 + timeoutMs;
            while (_epoch == epoch)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0 || !Monitor.Wait(_gate, (int)left)) return _epoch != epoch;
            }
            return true;
        }
    }

    /// <summary>Asynchronous wait; completes when notified after <paramref name="epoch"/>; false on time-out.</summary>
    public async ValueTask<bool> WaitAsync(int epoch, int timeoutMs, CancellationToken cancellationToken)
    {
        Task task;
        lock (_gate)
        {
            if (_epoch != epoch) return true;
            task = (_async ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        try
        {
            if (timeoutMs < 0) await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            else await task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Arms the signal with a one-shot callback, called (on the notifying thread, so it must not
    /// block) at the next notification: a wait without a thread, e.g. an I/O thread waiting for a
    /// ZAP reply. The caller re-checks its condition after arming, as with <see cref="Prepare"/>.
    /// </summary>
    public void NotifyOnce(Action callback)
    {
        lock (_gate)
        {
            _callback = callback;
            Volatile.Write(ref _armed, 1);
        }
    }

    /// <summary>
    /// Adds a callback called at every notification from now on (on the notifying thread: short, no
    /// blocking), for waiters that sleep on something of their own (a poller over many sockets).
    /// A notification happens only while the signal is armed: arm with <see cref="Prepare"/> before
    /// each look at the condition.
    /// </summary>
    public void AddListener(Action listener)
    {
        lock (_gate) _listeners = [.. _listeners, listener];
    }

    /// <summary>Removes a callback added by <see cref="AddListener"/> (the first registration of it).</summary>
    public void RemoveListener(Action listener)
    {
        lock (_gate)
        {
            int i = Array.IndexOf(_listeners, listener);
            if (i < 0) return;
            var rest = new Action[_listeners.Length - 1];
            Array.Copy(_listeners, rest, i);
            Array.Copy(_listeners, i + 1, rest, i, rest.Length - i);
            _listeners = rest;
        }
    }

    /// <summary>Wakes every waiter registered since the last notification (no-op when none is).</summary>
    public override void Notify()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0) return;
        TaskCompletionSource? tcs;
        Action? callback;
        Action[] listeners;
        lock (_gate)
        {
            _epoch++;
            Monitor.PulseAll(_gate);
            tcs = _async;
            _async = null;
            callback = _callback;
            _callback = null;
            listeners = _listeners;
        }
        tcs?.TrySetResult();
        callback?.Invoke();
        foreach (var listener in listeners)
        {
            try
            {
                listener();
            }
            catch (Exception)
            {
                // a watcher's fault must not end the notifying thread (an I/O thread): ignored
            }
        }
        Interlocked.MemoryBarrier(); // the epoch's store before the poll waiters' load (a waiter does the reverse)
        if (Volatile.Read(ref _pollWaiters) > 0) _wakeFd?.Signal();
    }
}
