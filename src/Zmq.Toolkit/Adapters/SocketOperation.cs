using System.Threading.Tasks.Sources;

namespace Zmq.Toolkit;

/// <summary>
/// An asynchronous socket operation that may have to wait (a read for a message, a write for room),
/// reusable, so that waiting allocates nothing: the <see cref="IValueTaskSource{TResult}"/> an
/// adapter's ValueTask stands on. It tries (<see cref="TryComplete"/>), and when that would block it
/// waits on the socket's readiness: <see cref="ReadinessWatch.Arm"/>, try again, read
/// <see cref="Socket.Events"/>, then sleep until the watch's callback. That callback runs on the
/// thread that changed the socket (an I/O thread, another socket's sender), so it only queues this
/// operation to the thread pool (as an <see cref="IThreadPoolWorkItem"/>, no allocation); the next
/// try and the caller's continuation run there, as after any await. No thread waits meanwhile.
/// One run at a time: see <see cref="OperationSlot{TOperation}"/> for concurrent callers.
/// </summary>
internal abstract class SocketOperation<TResult> : IValueTaskSource<TResult>, IValueTaskSource, IThreadPoolWorkItem, ISocketOperation
{
    private const int Idle = 0, Looking = 1, Waiting = 2, Fired = 3;

    private readonly PollEvents _wanted;
    private readonly ReadinessWatch _watch;
    private ManualResetValueTaskSourceCore<TResult> _core; // completed from the pool thread that ran the last try: continuations inline
    private CancellationToken _token;
    private CancellationTokenRegistration _registration;
    private int _state;
    private int _busy;
    private volatile bool _cancelled;
    private volatile bool _closed;

    /// <param name="socket">The socket operated on.</param>
    /// <param name="wanted">The readiness a run waits for.</param>
    /// <param name="temporary">Made for one overlapping run only: disposed once that run's result is taken.</param>
    /// <exception cref="ZmqException">The socket is disposed.</exception>
    protected SocketOperation(Socket socket, PollEvents wanted, bool temporary)
    {
        Socket = socket;
        _wanted = wanted;
        Temporary = temporary;
        _watch = socket.WatchReadiness(OnChange);
    }

    protected Socket Socket { get; }

    public bool Temporary { get; }

    /// <summary>Called once a run is over, however it ended, before its result is given: drop what the run held.</summary>
    protected virtual void Finished() { }

    /// <summary>A pure wait completes when the socket is ready (true, <paramref name="result"/> set); the others try again.</summary>
    protected virtual bool CompleteOnReady(out TResult result)
    {
        result = default!;
        return false;
    }

    /// <summary>True once closed (disposed, or its temporary run is over).</summary>
    public bool IsClosed => _closed;

    /// <summary>One try: true when done (<paramref name="result"/> set); false when it would block. May throw (the run fails with it).</summary>
    protected abstract bool TryComplete(out TResult result);

    /// <summary>The result (or exception) of a run once the socket, or this operation, is closed.</summary>
    protected abstract TResult Closed();

    /// <summary>Takes the operation for one run (false: another run holds it).</summary>
    public bool TryAcquire() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    /// <summary>
    /// Runs the operation (taken with <see cref="TryAcquire"/>): synchronously when it finishes at once;
    /// otherwise the task completes on the thread pool when it does, or fails with
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public ValueTask<TResult> Run(CancellationToken cancellationToken)
    {
        if (!Begin(cancellationToken, out var result, out var error)) return new ValueTask<TResult>(this, _core.Version);
        return error is null ? new ValueTask<TResult>(result) : ValueTask.FromException<TResult>(error);
    }

    /// <summary>As <see cref="Run"/>, for an operation whose result means nothing (a write).</summary>
    public ValueTask RunWithoutResult(CancellationToken cancellationToken)
    {
        if (!Begin(cancellationToken, out _, out var error)) return new ValueTask(this, _core.Version);
        return error is null ? ValueTask.CompletedTask : ValueTask.FromException(error);
    }

    /// <summary>Starts a run: true when it is already over (its result or error given), false when it sleeps.</summary>
    private bool Begin(CancellationToken cancellationToken, out TResult result, out Exception? error)
    {
        _token = cancellationToken;
        _cancelled = false;
        _core.Reset();
        error = null;
        try
        {
            if (!Step(out result)) return false;
        }
        catch (Exception e)
        {
            result = default!;
            error = e;
        }
        DropRegistration();
        Finished();
        Release();
        return true;
    }

    /// <summary>Tries, looks, and either finishes (true) or leaves the operation sleeping (false).</summary>
    private bool Step(out TResult result)
    {
        bool readyOnce = false;
        while (true)
        {
            if (_closed)
            {
                result = Closed();
                return true;
            }
            Volatile.Write(ref _state, Looking);
            _watch.Arm(); // before the try: a change after it wakes us
            if (TryComplete(out result)) return true;
            PollEvents events;
            try
            {
                events = Socket.Events;
            }
            catch (ZmqException e) when (SocketDirections.IsClosed(e))
            {
                result = Closed();
                return true;
            }
            if ((events & _wanted) != 0)
            {
                if (CompleteOnReady(out result)) return true;
                // Ready, yet the try failed (another caller was first, or a ROUTER peer is full while
                // others have room): try once more, then sleep until the next change, never spin.
                if (!readyOnce)
                {
                    readyOnce = true;
                    continue;
                }
            }
            if (_token.CanBeCanceled && _registration == default)
            {
                // Registered before the sleep is visible; acts only on a sleeping run (the check
                // after the exchange below catches a cancellation in between).
                _registration = _token.UnsafeRegister(static s => ((SocketOperation<TResult>)s!).OnCancel(), this);
            }
            if (Interlocked.CompareExchange(ref _state, Waiting, Looking) != Looking) continue; // changed meanwhile: look again
            if (_token.IsCancellationRequested) OnCancel();
            result = default!;
            return false;
        }
    }

    /// <summary>The watch's callback (on the thread that changed the socket): a sleeping run goes on on the thread pool.</summary>
    private void OnChange()
    {
        if (Interlocked.Exchange(ref _state, Fired) == Waiting) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    private void OnCancel()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Waiting) != Waiting) return;
        _cancelled = true;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false); // never the canceller's thread
    }

    /// <summary>A sleeping run woke (or was cancelled): on a pool thread, go on.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        Exception? error = null;
        TResult result = default!;
        if (_cancelled) error = new OperationCanceledException(_token);
        else
        {
            try
            {
                if (!Step(out result)) return; // asleep again
            }
            catch (Exception e)
            {
                error = e;
            }
        }
        DropRegistration();
        Finished();
        if (error is null) _core.SetResult(result); // the caller's continuation runs here, on this pool thread
        else _core.SetException(error);
    }

    private void DropRegistration()
    {
        var registration = _registration;
        _registration = default;
        registration.Dispose();
    }

    private void Release()
    {
        if (Temporary) Dispose();
        else Volatile.Write(ref _busy, 0);
    }

    /// <summary>Ends the watch; a sleeping run wakes and finishes as closed.</summary>
    public void Dispose()
    {
        if (_closed) return;
        _closed = true;
        _watch.Dispose();
        OnChange();
    }

    TResult IValueTaskSource<TResult>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Release();
        }
    }

    void IValueTaskSource.GetResult(short token) => ((IValueTaskSource<TResult>)this).GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<TResult>.GetStatus(short token) => _core.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<TResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

/// <summary>
/// A pure wait for readiness (WaitToReadAsync, WaitToWriteAsync): true once the socket is ready,
/// <paramref name="closed"/>'s answer once it (or the adapter) is closed.
/// </summary>
internal sealed class WaitOperation(Socket socket, PollEvents wanted, bool temporary, Func<bool> closed)
    : SocketOperation<bool>(socket, wanted, temporary)
{
    protected override bool TryComplete(out bool result)
    {
        result = false;
        return false;
    }

    protected override bool CompleteOnReady(out bool result)
    {
        result = true;
        return true;
    }

    protected override bool Closed() => closed();
}

/// <summary>What <see cref="OperationSlot{TOperation}"/> needs of an operation.</summary>
internal interface ISocketOperation : IDisposable
{
    bool TryAcquire();

    bool IsClosed { get; }
}

/// <summary>
/// The operation of one kind an adapter keeps for the usual single caller (nothing allocated per
/// run), and a temporary one for each run that overlaps it (several tasks reading one channel).
/// <see cref="Dispose"/> closes them all: their sleeping runs finish as closed.
/// </summary>
internal sealed class OperationSlot<TOperation>(Func<bool, TOperation> create) : IDisposable where TOperation : class, ISocketOperation
{
    private readonly Lock _gate = new();
    private readonly List<TOperation> _temporary = [];
    private TOperation? _kept;
    private bool _disposed;

    /// <summary>An operation taken for one run, or null when the slot (its adapter) or the socket is closed.</summary>
    public TOperation? Take()
    {
        var kept = Volatile.Read(ref _kept);
        if (kept is not null && kept.TryAcquire()) return kept;
        lock (_gate)
        {
            if (_disposed) return null;
            if (_kept is null)
            {
                if ((_kept = TryCreate(temporary: false)) is null) return null;
                if (_kept.TryAcquire()) return _kept;
            }
            _temporary.RemoveAll(static t => t.IsClosed);
            var extra = TryCreate(temporary: true);
            if (extra is null) return null;
            extra.TryAcquire();
            _temporary.Add(extra);
            return extra;
        }
    }

    private TOperation? TryCreate(bool temporary)
    {
        try
        {
            return create(temporary);
        }
        catch (ZmqException e) when (SocketDirections.IsClosed(e))
        {
            return null;
        }
    }

    public void Dispose()
    {
        TOperation[] all;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            all = _kept is null ? [.. _temporary] : [_kept, .. _temporary];
            _temporary.Clear();
        }
        foreach (var op in all) op.Dispose();
    }
}
