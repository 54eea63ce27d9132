namespace Zmq.Internal;

/// <summary>
/// "Something changed" for threads that wait on a condition they check themselves (a queue became
/// non-empty or non-full). The hot path of a producer is one volatile read
/// (<see cref="HasSleepers"/>); waiters pay the lock. Waiter protocol:
/// <code>
/// if (TryX()) return; var e = s.Prepare(); if (TryX()) { s.Cancel(); return; } s.Wait(e, ...);
/// </code>
/// Producer protocol: publish, full fence, <c>if (s.HasSleepers) s.Notify()</c>.
/// </summary>
internal sealed class Signal
{
    private readonly object _gate = new();
    private volatile int _sleepers;
    private int _epoch;
    private TaskCompletionSource? _async;

    public bool HasSleepers => _sleepers != 0;

    /// <summary>Registers a waiter and returns the epoch to wait on. Acts as a full fence.</summary>
    public int Prepare()
    {
        lock (_gate)
        {
            _sleepers++;
            return _epoch;
        }
    }

    /// <summary>Unregisters a waiter that did not wait after all.</summary>
    public void Cancel()
    {
        lock (_gate) _sleepers--;
    }

    /// <summary>Waits until notified after <paramref name="epoch"/> or the time-out; always unregisters.</summary>
    public bool Wait(int epoch, int timeoutMs)
    {
        lock (_gate)
        {
            try
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
            finally
            {
                _sleepers--;
            }
        }
    }

    /// <summary>Asynchronous wait; completes when notified after <paramref name="epoch"/>. Always unregisters.</summary>
    public async ValueTask<bool> WaitAsync(int epoch, int timeoutMs, CancellationToken cancellationToken)
    {
        Task task;
        lock (_gate)
        {
            if (_epoch != epoch)
            {
                _sleepers--;
                return true;
            }
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
        finally
        {
            lock (_gate) _sleepers--;
        }
    }

    /// <summary>Wakes every waiter.</summary>
    public void Notify()
    {
        TaskCompletionSource? tcs;
        lock (_gate)
        {
            _epoch++;
            Monitor.PulseAll(_gate);
            tcs = _async;
            _async = null;
        }
        tcs?.TrySetResult();
    }
}
