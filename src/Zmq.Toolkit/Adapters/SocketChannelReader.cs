using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Zmq.Toolkit;

/// <summary>
/// A <see cref="ChannelReader{T}"/> whose queue is the socket's own (goczmq: the receiving half of
/// a Channeler, without its goroutine and internal channel): <see cref="TryRead"/> is
/// <see cref="Socket.TryReceive(out Message?)"/>, <see cref="WaitToReadAsync"/> waits on the socket's
/// readiness (<see cref="Socket.WatchReadiness"/> and <see cref="Socket.Events"/>: no thread, no
/// polling), so nothing is buffered in between and the back-pressure a sender feels is the socket's
/// RCVHWM. Made by <see cref="SocketAdapters.AsChannelReader"/> or <see cref="SocketChannel"/>.
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> Each message read is the reader's to dispose (it returns pooled buffers;
/// one not disposed is collected by the GC).</para>
/// <para><b>Time-outs and cancellation.</b> The socket's RCVTIMEO does not apply: waits last until
/// a message comes, the token is cancelled (<see cref="OperationCanceledException"/>, the socket
/// stays usable and nothing is lost) or the reader ends.</para>
/// <para><b>End.</b> The reader ends when the socket is disposed or its context terminated
/// (<see cref="Socket.Closed"/>), or when the reader is disposed: <see cref="Completion"/> completes,
/// <see cref="WaitToReadAsync"/> returns false, <see cref="ReadAsync"/> throws
/// <see cref="ChannelClosedException"/>, and <c>ReadAllAsync</c> ends. Messages still queued in the
/// socket then are not read.</para>
/// <para><b>Threads.</b> Any number of tasks may read at once (each message goes to one of them).</para>
/// </remarks>
public sealed class SocketChannelReader : ChannelReader<Message>, IDisposable
{
    private readonly Socket _socket;
    private readonly OperationSlot<WaitOperation> _waits;
    private readonly OperationSlot<ReadOperation> _reads;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _closed;
    private readonly List<IDisposable> _enumerations = [];
    private volatile bool _ended;

    /// <exception cref="ArgumentException">The socket's type cannot receive (PUSH, PUB).</exception>
    /// <exception cref="ZmqException">The socket is disposed.</exception>
    internal SocketChannelReader(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!SocketDirections.CanReceive(socket.Type)) throw SocketDirections.Unsupported(socket, "receive", nameof(socket));
        _socket = socket;
        if (socket.IsDisposed) throw new ZmqException(ZmqError.Disposed, "the socket has been disposed", socket.Type);
        _waits = new(temporary => new WaitOperation(socket, PollEvents.In, temporary, static () => false));
        _reads = new(temporary => new ReadOperation(this, temporary));
        _closed = socket.Closed.UnsafeRegister(static s => ((SocketChannelReader)s!).End(), this);
    }

    /// <summary>The socket read from.</summary>
    public Socket Socket => _socket;

    /// <summary>Completes (successfully) when the reader has ended: the socket was disposed or its context terminated, or the reader was disposed.</summary>
    public override Task Completion => _completion.Task;

    /// <summary>Receives a message if one is waiting (<see cref="Socket.TryReceive(out Message?)"/>); false when none is or the reader has ended.</summary>
    /// <exception cref="ZmqException">The socket refused the receive for another reason than being closed.</exception>
    public override bool TryRead([MaybeNullWhen(false)] out Message item)
    {
        item = null;
        if (_ended) return false;
        try
        {
            return _socket.TryReceive(out item);
        }
        catch (ZmqException e) when (SocketDirections.IsClosed(e))
        {
            End();
            return false;
        }
    }

    /// <summary>
    /// Completes with true when a message is there to read (synchronously when one is), false when
    /// the reader has ended. Another task may take the message first: read with <see cref="TryRead"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<bool>(cancellationToken);
        if (_ended) return new ValueTask<bool>(false);
        return _waits.Take() is { } wait ? wait.Run(cancellationToken) : new ValueTask<bool>(false);
    }

    /// <summary>Receives the next message, waiting for it without a thread; synchronous when one is waiting.</summary>
    /// <exception cref="ChannelClosedException">The reader has ended (socket disposed, context terminated, reader disposed).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (no message was taken).</exception>
    public override ValueTask<Message> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<Message>(cancellationToken);
        if (TryRead(out var message)) return new ValueTask<Message>(message);
        return _reads.Take() is { } read ? read.Run(cancellationToken) : ValueTask.FromException<Message>(Ended());
    }

    /// <summary>
    /// Every message, as an async stream that ends when the reader does; each step is a TryRead
    /// while messages wait and waits on readiness otherwise (as <see cref="SocketAdapters.ReceiveAllAsync"/>,
    /// nothing allocated per wait). Each message is the consumer's to dispose.
    /// </summary>
    public override IAsyncEnumerable<Message> ReadAllAsync(CancellationToken cancellationToken = default) =>
        new ReceivedMessages(_socket, cancellationToken, this);

    internal bool HasEnded => _ended;

    /// <summary>An enumeration to end with the reader; false when the reader has ended already.</summary>
    internal bool Track(IDisposable enumeration)
    {
        lock (_enumerations)
        {
            if (_ended) return false;
            _enumerations.Add(enumeration);
            return true;
        }
    }

    internal void Untrack(IDisposable enumeration)
    {
        lock (_enumerations) _enumerations.Remove(enumeration);
    }

    /// <summary>Ends the reader (pending waits return false, <see cref="Completion"/> completes); the socket stays open.</summary>
    public void Dispose()
    {
        _closed.Dispose();
        End();
    }

    private void End()
    {
        IDisposable[] enumerations;
        lock (_enumerations)
        {
            if (_ended) return;
            _ended = true;
            enumerations = [.. _enumerations];
            _enumerations.Clear();
        }
        _waits.Dispose();
        _reads.Dispose();
        foreach (var e in enumerations) e.Dispose();
        _completion.TrySetResult();
    }

    /// <summary>A read that waits: TryRead after each change; the reader's end fails it.</summary>
    private sealed class ReadOperation(SocketChannelReader reader, bool temporary) : SocketOperation<Message>(reader._socket, PollEvents.In, temporary)
    {
        protected override bool TryComplete(out Message result) =>
            reader.TryRead(out result!) || (reader._ended ? throw reader.Ended() : false);

        protected override Message Closed() => throw reader.Ended();
    }

    private ChannelClosedException Ended() =>
        new($"the channel reader over the {_socket} has ended (the socket was disposed or its context terminated, or the reader was disposed)");
}
