using System.Threading.Channels;

namespace Zmq.Toolkit;

/// <summary>
/// A <see cref="ChannelWriter{T}"/> whose queue is the socket's own (goczmq: the sending half of a
/// Channeler, without its goroutine and internal channel): <see cref="TryWrite"/> is
/// <see cref="Socket.TrySendAndDispose"/>, <see cref="WaitToWriteAsync"/> waits on the socket's
/// readiness (<see cref="Socket.WatchReadiness"/> and <see cref="Socket.Events"/>: no thread, no
/// polling). Nothing is queued in between: the back-pressure is the socket's SNDHWM (a write waits,
/// or <see cref="TryWrite"/> returns false, exactly when a send would). Made by
/// <see cref="SocketAdapters.AsChannelWriter"/> or <see cref="SocketChannel"/>.
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> A message written is taken over, as by <see cref="Socket.SendAndDispose"/>:
/// once <see cref="TryWrite"/> returns true or <see cref="WriteAsync"/> completes, it has been sent and
/// disposed (do not use it again; a pooled <see cref="Message.Rent"/> message goes back to the pool).
/// When the write does not happen (false, an exception, a cancellation) the message is still the
/// caller's. A multipart message is one ZeroMQ message (for a ROUTER, its first frame is the routing id).</para>
/// <para><b>Time-outs and cancellation.</b> The socket's SNDTIMEO does not apply: a write waits until
/// there is room, the token is cancelled (<see cref="OperationCanceledException"/>, nothing sent, the
/// socket stays usable) or the writer is completed.</para>
/// <para><b>Completion.</b> <see cref="ChannelWriter{T}.TryComplete"/> (or Complete) means no more
/// writes through this writer; the socket stays open and what was written is still delivered (by
/// LINGER when the socket is disposed). The writer also completes when the socket is disposed or its
/// context terminated. Then <see cref="TryWrite"/> returns false, <see cref="WaitToWriteAsync"/> false
/// (or throws the error the writer was completed with) and <see cref="WriteAsync"/> throws
/// <see cref="ChannelClosedException"/>. Completing the writer does not end a reader over the same
/// socket: they carry the two directions of a socket, which are independent.</para>
/// <para><b>Threads.</b> Any number of tasks may write at once; each message goes out whole.</para>
/// </remarks>
public sealed class SocketChannelWriter : ChannelWriter<Message>, IDisposable
{
    private static readonly Exception Done = new ChannelClosedException();

    private readonly Socket _socket;
    private readonly OperationSlot<WaitOperation> _waits;
    private readonly OperationSlot<WriteOperation> _writes;
    private readonly CancellationTokenRegistration _closed;
    private Exception? _completion; // null while open; Done, or the error it was completed with

    /// <exception cref="ArgumentException">The socket's type cannot send (PULL, SUB).</exception>
    /// <exception cref="ZmqException">The socket is disposed.</exception>
    internal SocketChannelWriter(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!SocketDirections.CanSend(socket.Type)) throw SocketDirections.Unsupported(socket, "send", nameof(socket));
        _socket = socket;
        if (socket.IsDisposed) throw new ZmqException(ZmqError.Disposed, "the socket has been disposed", socket.Type);
        _waits = new(temporary => new WaitOperation(socket, PollEvents.Out, temporary, () => NotWritable()));
        _writes = new(temporary => new WriteOperation(this, temporary));
        _closed = socket.Closed.UnsafeRegister(static s => ((SocketChannelWriter)s!).TryComplete(), this);
    }

    /// <summary>The socket written to.</summary>
    public Socket Socket => _socket;

    /// <summary>True once the writer is completed (by a call, by disposal, or because the socket closed).</summary>
    public bool IsCompleted => Volatile.Read(ref _completion) is not null;

    /// <summary>
    /// Sends <paramref name="item"/> if that can be done without waiting, taking it over (true: sent
    /// and disposed); false when it would wait or the writer is completed (the message is still yours).
    /// </summary>
    /// <exception cref="ZmqException">The socket refused the message (e.g. a REQ not expecting to send, a ROUTER message without a body).</exception>
    public override bool TryWrite(Message item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (IsCompleted) return false;
        try
        {
            return _socket.TrySendAndDispose(item, TimeSpan.Zero);
        }
        catch (ZmqException e) when (SocketDirections.IsClosed(e))
        {
            TryComplete();
            return false;
        }
    }

    /// <summary>
    /// Completes with true when a send would not wait (synchronously when it would not now), false when
    /// the writer is completed; throws the error it was completed with, if any.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<bool>(cancellationToken);
        if (IsCompleted) return NotWritableTask();
        return _waits.Take() is { } wait ? wait.Run(cancellationToken) : NotWritableTask();
    }

    private ValueTask<bool> NotWritableTask()
    {
        try
        {
            return new ValueTask<bool>(NotWritable());
        }
        catch (Exception e)
        {
            return ValueTask.FromException<bool>(e);
        }
    }

    /// <summary>What a wait says once the writer cannot write: false, or it throws the error the writer was completed with.</summary>
    private bool NotWritable() =>
        Volatile.Read(ref _completion) is { } done && done != Done ? throw done : false;

    /// <summary>
    /// Sends <paramref name="item"/>, waiting without a thread while the socket has no room; synchronous
    /// when it has. Takes the message over once this completes (see the ownership remarks).
    /// </summary>
    /// <exception cref="ChannelClosedException">The writer is completed (also when the socket was disposed); the message is still yours.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was sent.</exception>
    public override ValueTask WriteAsync(Message item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        try
        {
            if (TryWrite(item)) return ValueTask.CompletedTask;
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }
        return _writes.Take() is { } write ? write.Start(item, cancellationToken) : ValueTask.FromException(Completed());
    }

    /// <summary>Completes the writer: no more writes (pending waits end with false, or with <paramref name="error"/>). The socket stays open.</summary>
    public override bool TryComplete(Exception? error = null)
    {
        if (Interlocked.CompareExchange(ref _completion, error ?? Done, null) is not null) return false;
        _waits.Dispose();
        _writes.Dispose();
        return true;
    }

    /// <summary>Completes the writer (as <see cref="TryComplete"/>); the socket stays open.</summary>
    public void Dispose()
    {
        _closed.Dispose();
        TryComplete();
    }

    /// <summary>A write that waits for room: TrySendAndDispose after each change; the writer's completion fails it.</summary>
    private sealed class WriteOperation(SocketChannelWriter writer, bool temporary) : SocketOperation<bool>(writer._socket, PollEvents.Out, temporary)
    {
        private Message? _item;

        public ValueTask Start(Message item, CancellationToken cancellationToken)
        {
            _item = item;
            return RunWithoutResult(cancellationToken);
        }

        protected override bool TryComplete(out bool result)
        {
            result = true;
            if (writer.IsCompleted) throw writer.Completed();
            return writer.TryWrite(_item!) || (writer.IsCompleted ? throw writer.Completed() : false);
        }

        protected override bool Closed() => throw writer.Completed();

        protected override void Finished() => _item = null; // sent and disposed, or still the caller's
    }

    private ChannelClosedException Completed()
    {
        var done = Volatile.Read(ref _completion);
        return done is null || done == Done
            ? new ChannelClosedException($"the channel writer over the {_socket} is completed (completed, disposed, or the socket was disposed or its context terminated)")
            : new ChannelClosedException(done);
    }
}
