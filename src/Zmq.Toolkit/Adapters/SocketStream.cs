namespace Zmq.Toolkit;

/// <summary>
/// A <see cref="Stream"/> over a socket of single-frame messages, for code written against streams
/// (goczmq: ReadWriter). A read returns the bytes of one frame (what does not fit in the caller's
/// buffer is kept for the next reads: a frame is never split across two messages' reads nor joined
/// with the next); each write sends one message. Over a ROUTER the routing id is handled for you:
/// a read returns the body and remembers its sender (<see cref="Peer"/>), a write goes to that peer,
/// as goczmq's ReadWriter does. Nothing is queued in between: reads and writes are the socket's own
/// receives and sends.
/// </summary>
/// <remarks>
/// <para><b>Messages.</b> A message of more than one frame (over a ROUTER: more than the routing id
/// and one body) is an <see cref="IOException"/> naming the socket and the frame count, raised by the
/// read that took it (the message is dropped; the stream stays usable). An empty frame carries no
/// bytes and is skipped (a read returns 0 only at the end). A write of no bytes sends nothing.</para>
/// <para><b>End and errors.</b> Once the socket is disposed or its context terminated, reads return 0
/// (the end of the stream) and writes throw <see cref="IOException"/>. Failures of the socket come as
/// <see cref="IOException"/> with the <see cref="ZmqException"/> as the inner exception (a time-out, a
/// message the socket refused).</para>
/// <para><b>Time-outs and cancellation.</b> <see cref="ReadTimeout"/> and <see cref="WriteTimeout"/> are
/// the socket's RCVTIMEO and SNDTIMEO (ms, -1 for none), for the blocking <see cref="Read(Span{byte})"/>
/// and <see cref="Write(ReadOnlySpan{byte})"/> (an <see cref="IOException"/> when they elapse). The
/// asynchronous calls, as NetworkStream's, ignore them and wait until the token is cancelled
/// (<see cref="OperationCanceledException"/>; nothing is lost and the stream stays usable).</para>
/// <para><b>Threads.</b> As any stream: one read and one write at a time, which may run at the same time.</para>
/// <para><see cref="Dispose(bool)"/> disposes the socket only when the stream owns it (<c>ownsSocket</c>).</para>
/// </remarks>
/// <example>
/// <code>
/// using var stream = new SocketStream(router);
/// int n = await stream.ReadAsync(buffer, token);   // the body; stream.Peer is its sender
/// await stream.WriteAsync(reply, token);           // to that sender
/// </code>
/// </example>
public sealed class SocketStream : Stream
{
    private readonly Socket _socket;
    private readonly bool _ownsSocket;
    private readonly bool _router, _canRead, _canWrite;
    private readonly Lock _peerGate = new();
    private readonly OperationSlot<ReadOperation> _reads;   // one each: a read and a write may wait at once
    private readonly OperationSlot<WriteOperation> _writes;
    private Message? _current; // the message whose frame is being read
    private int _offset;       // bytes of its body already read
    private byte[] _peer = new byte[64];
    private int _peerLength = -1;
    private bool _disposed;

    /// <summary>A stream over <paramref name="socket"/>; disposing the stream disposes the socket only when <paramref name="ownsSocket"/>.</summary>
    /// <exception cref="ZmqException">The socket is disposed.</exception>
    public SocketStream(Socket socket, bool ownsSocket = false)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.IsDisposed) throw new ZmqException(ZmqError.Disposed, "the socket has been disposed", socket.Type);
        _socket = socket;
        _ownsSocket = ownsSocket;
        _router = socket.Type == SocketType.Router;
        _canRead = SocketDirections.CanReceive(socket.Type);
        _canWrite = SocketDirections.CanSend(socket.Type);
        _reads = new(temporary => new ReadOperation(this, temporary));
        _writes = new(temporary => new WriteOperation(this, temporary));
    }

    /// <summary>The socket under the stream.</summary>
    public Socket Socket => _socket;

    /// <summary>
    /// Over a ROUTER: the routing id of the peer that sent the message read last, where writes go (a
    /// copy; null before the first read). Set it to write to another peer (goczmq's SetLastClientID).
    /// </summary>
    /// <exception cref="NotSupportedException">Set on a stream whose socket is not a ROUTER.</exception>
    public byte[]? Peer
    {
        get
        {
            lock (_peerGate) return _peerLength < 0 ? null : _peer.AsSpan(0, _peerLength).ToArray();
        }
        set
        {
            if (!_router) throw new NotSupportedException($"only a ROUTER socket's stream has a peer to write to; this is a {Name}");
            lock (_peerGate)
            {
                if (value is null)
                {
                    _peerLength = -1;
                    return;
                }
                SetPeer(value);
            }
        }
    }

    /// <summary>True when the socket's type receives (all but PUSH and PUB) and the stream is not disposed.</summary>
    public override bool CanRead => !_disposed && _canRead;

    /// <summary>True when the socket's type sends (all but PULL and SUB) and the stream is not disposed.</summary>
    public override bool CanWrite => !_disposed && _canWrite;

    /// <summary>False: a socket has no position.</summary>
    public override bool CanSeek => false;

    /// <summary>True: see <see cref="ReadTimeout"/> and <see cref="WriteTimeout"/>.</summary>
    public override bool CanTimeout => true;

    /// <summary>The socket's RCVTIMEO in milliseconds (-1: wait for ever), for the blocking reads.</summary>
    public override int ReadTimeout
    {
        get => ToMs(_socket.ReceiveTimeout);
        set => _socket.ReceiveTimeout = FromMs(value);
    }

    /// <summary>The socket's SNDTIMEO in milliseconds (-1: wait for ever), for the blocking writes.</summary>
    public override int WriteTimeout
    {
        get => ToMs(_socket.SendTimeout);
        set => _socket.SendTimeout = FromMs(value);
    }

    /// <summary>Not supported: a socket has no length.</summary>
    public override long Length => throw new NotSupportedException("a socket stream has no length");

    /// <summary>Not supported: a socket has no position.</summary>
    public override long Position
    {
        get => throw new NotSupportedException("a socket stream has no position");
        set => throw new NotSupportedException("a socket stream has no position");
    }

    /// <summary>Not supported.</summary>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a socket stream cannot seek");

    /// <summary>Not supported.</summary>
    public override void SetLength(long value) => throw new NotSupportedException("a socket stream has no length");

    /// <summary>Nothing to do: each write is sent when it is made.</summary>
    public override void Flush() { }

    /// <summary>Nothing to do: each write is sent when it is made.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    // ---------------------------------------------------------------- reading

    /// <summary>
    /// Reads the next bytes of the current frame, or receives the next message and reads from its
    /// frame, blocking (up to <see cref="ReadTimeout"/>) until one comes. Returns 0 only once the
    /// socket is closed; a zero-length buffer waits for a message and returns 0.
    /// </summary>
    /// <exception cref="IOException">A multipart message came (dropped), the time-out elapsed, or the socket failed.</exception>
    public override int Read(Span<byte> buffer)
    {
        ThrowIfCannotRead();
        while (_current is null)
        {
            Message message;
            try
            {
                message = _socket.Receive();
            }
            catch (ZmqException e) when (SocketDirections.IsClosed(e))
            {
                return 0;
            }
            catch (ZmqTimeoutException e)
            {
                throw new IOException($"{Name}: no message within the read time-out ({ReadTimeout} ms)", e);
            }
            Accept(message);
        }
        return CopyOut(buffer);
    }

    /// <inheritdoc cref="Read(Span{byte})"/>
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <summary>Reads one byte (-1 at the end), as <see cref="Read(Span{byte})"/>.</summary>
    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    /// <summary>
    /// As <see cref="Read(Span{byte})"/>, waiting without a thread (synchronous when bytes or a message are
    /// there); ignores <see cref="ReadTimeout"/>. Returns 0 only once the socket is closed.
    /// </summary>
    /// <exception cref="IOException">A multipart message came (dropped), or the socket failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (nothing was read).</exception>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
        try
        {
            ThrowIfCannotRead();
            if (_current is null)
            {
                if (!_router && TryReceiveWhole(buffer.Span, out int whole)) return new ValueTask<int>(whole);
                if (!TryReceive()) return _reads.Take() is { } read ? read.Start(buffer, cancellationToken) : new ValueTask<int>(0);
            }
            return new ValueTask<int>(_current is null ? 0 : CopyOut(buffer.Span));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    /// <inheritdoc cref="ReadAsync(Memory{byte}, CancellationToken)"/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>A read that waits: a message after each change; 0 once the socket is closed.</summary>
    private sealed class ReadOperation(SocketStream stream, bool temporary) : SocketOperation<int>(stream._socket, PollEvents.In, temporary)
    {
        private Memory<byte> _buffer;

        public ValueTask<int> Start(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            _buffer = buffer;
            return Run(cancellationToken);
        }

        protected override bool TryComplete(out int result)
        {
            stream.ThrowIfCannotRead();
            result = 0;
            if (stream._current is null && !stream.TryReceive()) return false;
            if (stream._current is not null) result = stream.CopyOut(_buffer.Span);
            return true;
        }

        protected override int Closed() => 0;

        protected override void Finished() => _buffer = default;
    }

    /// <summary>
    /// The common case, in one step: a waiting single-frame message that fits in <paramref name="buffer"/>
    /// is copied out and disposed at once (true, <paramref name="read"/> its length; also true with 0
    /// when the socket is closed). A larger frame becomes <see cref="_current"/> and its first bytes are
    /// read (true). False when nothing is waiting, or only an empty frame was (dropped): look again.
    /// </summary>
    private bool TryReceiveWhole(Span<byte> buffer, out int read)
    {
        read = 0;
        Message? message;
        try
        {
            if (!_socket.TryReceive(out message)) return false;
        }
        catch (ZmqException e) when (SocketDirections.IsClosed(e))
        {
            return true; // the end: 0
        }
        if (message.Count == 1)
        {
            var body = message.GetSpan(0);
            if (body.Length <= buffer.Length && !body.IsEmpty)
            {
                body.CopyTo(buffer);
                read = body.Length;
                message.Dispose();
                return true;
            }
        }
        Accept(message);
        if (_current is null) return false; // an empty frame, dropped: look again
        read = CopyOut(buffer);
        return true;
    }

    /// <summary>
    /// Takes a message if one is waiting (true; <see cref="_current"/> is then set, or null when the
    /// socket is closed); false when none is.
    /// </summary>
    private bool TryReceive()
    {
        while (true)
        {
            Message? message;
            try
            {
                if (!_socket.TryReceive(out message)) return false;
            }
            catch (ZmqException e) when (SocketDirections.IsClosed(e))
            {
                return true;
            }
            Accept(message);
            if (_current is not null) return true;
        }
    }

    /// <summary>Checks a received message: its body becomes the current frame (an empty one is dropped), over a ROUTER its sender the peer.</summary>
    private void Accept(Message message)
    {
        int frames = message.Count, expected = _router ? 2 : 1;
        if (frames != expected)
        {
            message.Dispose();
            var why = _router
                ? $"a message of {frames - 1} frames after the routing id where a SocketStream reads one"
                : $"a {frames}-frame message where a SocketStream reads single-frame messages";
            throw new IOException($"{Name}: {why} (dropped; multipart messages need Receive or a channel)",
                new ZmqException(ZmqError.InvalidMessage, why, _socket.Type));
        }
        if (_router)
        {
            lock (_peerGate) SetPeer(message.GetSpan(0));
        }
        if (message.GetSpan(expected - 1).IsEmpty)
        {
            message.Dispose();
            return;
        }
        _current = message;
        _offset = 0;
    }

    private int CopyOut(Span<byte> buffer)
    {
        var body = _current!.GetSpan(_router ? 1 : 0)[_offset..];
        int n = Math.Min(body.Length, buffer.Length);
        body[..n].CopyTo(buffer);
        _offset += n;
        if (n == body.Length)
        {
            _current.Dispose();
            _current = null;
        }
        return n;
    }

    // ---------------------------------------------------------------- writing

    /// <summary>Sends <paramref name="buffer"/> as one message (over a ROUTER, to <see cref="Peer"/>), blocking up to <see cref="WriteTimeout"/> for room.</summary>
    /// <exception cref="IOException">The time-out elapsed, the socket is closed or refused the message.</exception>
    /// <exception cref="InvalidOperationException">Over a ROUTER, no message was read yet (and no <see cref="Peer"/> set).</exception>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfCannotWrite();
        if (buffer.IsEmpty) return;
        try
        {
            if (_router) _socket.SendAndDispose(ToPeer(buffer));
            else _socket.Send(buffer);
        }
        catch (ZmqException e)
        {
            throw WriteFailed(e);
        }
    }

    /// <inheritdoc cref="Write(ReadOnlySpan{byte})"/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <summary>Sends one byte as a message of its own.</summary>
    public override void WriteByte(byte value) => Write([value]);

    /// <summary>
    /// As <see cref="Write(ReadOnlySpan{byte})"/>, waiting without a thread while the socket has no room
    /// (synchronous when it has); ignores <see cref="WriteTimeout"/>. Keep <paramref name="buffer"/> as it
    /// is until the task completes.
    /// </summary>
    /// <exception cref="IOException">The socket is closed or refused the message.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (nothing was sent).</exception>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        Message? message = null;
        try
        {
            ThrowIfCannotWrite();
            if (buffer.IsEmpty) return ValueTask.CompletedTask;
            if (_router)
            {
                message = ToPeer(buffer.Span);
                if (_socket.TrySendAndDispose(message, TimeSpan.Zero)) return ValueTask.CompletedTask;
            }
            else if (_socket.TrySend(buffer.Span)) return ValueTask.CompletedTask;
        }
        catch (Exception e)
        {
            message?.Dispose();
            return ValueTask.FromException(e is ZmqException z ? WriteFailed(z) : e);
        }
        if (_writes.Take() is { } write) return write.Start(buffer, message, cancellationToken);
        message?.Dispose();
        return ValueTask.FromException(WriteFailed(Disposed()));
    }

    /// <inheritdoc cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>A write that waits for room: the send after each change (for a ROUTER, of the message made for it, disposed if it is not sent).</summary>
    private sealed class WriteOperation(SocketStream stream, bool temporary) : SocketOperation<bool>(stream._socket, PollEvents.Out, temporary)
    {
        private ReadOnlyMemory<byte> _buffer;
        private Message? _message;

        public ValueTask Start(ReadOnlyMemory<byte> buffer, Message? message, CancellationToken cancellationToken)
        {
            _buffer = buffer;
            _message = message;
            return RunWithoutResult(cancellationToken);
        }

        protected override bool TryComplete(out bool result)
        {
            stream.ThrowIfCannotWrite();
            result = true;
            try
            {
                if (_message is null) return Socket.TrySend(_buffer.Span);
                if (!Socket.TrySendAndDispose(_message, TimeSpan.Zero)) return false;
                _message = null;
                return true;
            }
            catch (ZmqException e)
            {
                throw stream.WriteFailed(e);
            }
        }

        protected override bool Closed() => throw stream.WriteFailed(stream.Disposed());

        protected override void Finished()
        {
            _message?.Dispose(); // not sent: the copy made for the ROUTER goes back to the pool
            _message = null;
            _buffer = default;
        }
    }

    /// <summary>A pooled message [peer, bytes] for a ROUTER's write.</summary>
    private Message ToPeer(ReadOnlySpan<byte> buffer)
    {
        var message = Message.Rent();
        lock (_peerGate)
        {
            if (_peerLength < 0)
            {
                message.Dispose();
                throw new InvalidOperationException($"{Name}: a write goes to the peer of the last read, and nothing was read yet (or set Peer)");
            }
            message.Add(_peer.AsSpan(0, _peerLength));
        }
        message.Add(buffer);
        return message;
    }

    /// <summary>Under <see cref="_peerGate"/>.</summary>
    private void SetPeer(ReadOnlySpan<byte> id)
    {
        if (id.Length > _peer.Length) _peer = new byte[Math.Max(id.Length, _peer.Length * 2)];
        id.CopyTo(_peer);
        _peerLength = id.Length;
    }

    private IOException WriteFailed(ZmqException e) => e switch
    {
        ZmqTimeoutException => new IOException($"{Name}: no room to send within the write time-out ({WriteTimeout} ms)", e),
        _ when SocketDirections.IsClosed(e) => new IOException($"{Name}: cannot write, the socket is closed", e),
        _ => new IOException($"{Name}: the write failed: {e.Message}", e),
    };

    // ---------------------------------------------------------------- lifetime

    /// <summary>Drops the frame being read and ends pending asynchronous waits; disposes the socket when the stream owns it.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            EndWaits();
            if (_ownsSocket) _socket.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>As <see cref="Dispose(bool)"/>, with the socket's linger (when the stream owns it) not blocking the caller.</summary>
    public override ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        _disposed = true;
        EndWaits();
        GC.SuppressFinalize(this);
        return _ownsSocket ? _socket.DisposeAsync() : ValueTask.CompletedTask;
    }

    private void EndWaits()
    {
        _reads.Dispose();
        _writes.Dispose();
        _current?.Dispose();
        _current = null;
    }

    private ZmqException Disposed() => new(ZmqError.Disposed, "the socket has been disposed", _socket.Type);

    private string Name => $"SocketStream over a {_socket.Type.ToString().ToUpperInvariant()} socket";

    private void ThrowIfCannotRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_canRead) throw new NotSupportedException($"{Name}: a {_socket.Type.ToString().ToUpperInvariant()} socket cannot receive");
    }

    private void ThrowIfCannotWrite()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_canWrite) throw new NotSupportedException($"{Name}: a {_socket.Type.ToString().ToUpperInvariant()} socket cannot send");
    }

    private static int ToMs(TimeSpan t) => t == Timeout.InfiniteTimeSpan || t < TimeSpan.Zero ? Timeout.Infinite : (int)Math.Min(t.TotalMilliseconds, int.MaxValue);

    private static TimeSpan FromMs(int ms) => ms == Timeout.Infinite ? Timeout.InfiniteTimeSpan
        : ms >= 0 ? TimeSpan.FromMilliseconds(ms) : throw new ArgumentOutOfRangeException(nameof(ms), ms, "a time-out is -1 (none) or 0 or more milliseconds");
}
