namespace Zmq.Toolkit;

/// <summary>
/// A manual-reset event that a thread or an async method can wait on: what readiness callbacks
/// set (from I/O threads: <see cref="Set"/> never blocks) and a waiter resets before it looks again.
/// </summary>
internal sealed class Wakeup : IDisposable
{
    private readonly ManualResetEventSlim _event = new(false, spinCount: 0);
    private TaskCompletionSource _async = NewSource();

    public void Set()
    {
        try
        {
            _event.Set();
        }
        catch (ObjectDisposedException)
        {
            return; // a late callback after the poller was disposed
        }
        Volatile.Read(ref _async).TrySetResult();
    }

    /// <summary>Before a look: later <see cref="Set"/> calls wake the next wait.</summary>
    public void Reset()
    {
        _event.Reset();
        var current = Volatile.Read(ref _async);
        if (current.Task.IsCompleted) Interlocked.CompareExchange(ref _async, NewSource(), current);
    }

    /// <summary>Waits until set, <paramref name="timeoutMs"/> (-1: no limit) or cancellation (OperationCanceledException).</summary>
    public bool Wait(int timeoutMs, CancellationToken cancellationToken) => _event.Wait(timeoutMs, cancellationToken);

    public async Task WaitAsync(int timeoutMs, CancellationToken cancellationToken)
    {
        var task = Volatile.Read(ref _async).Task;
        try
        {
            await (timeoutMs < 0 ? task.WaitAsync(cancellationToken) : task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), cancellationToken)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // the caller looks at its deadline
        }
    }

    public void Dispose() => _event.Dispose();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
