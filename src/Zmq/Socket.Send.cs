using System.Text;
using Zmq.Engine;
using Zmq.Internal;
using Zmq.Messages;

namespace Zmq;

public abstract partial class Socket
{
    [ThreadStatic] private static byte[]? t_textBuffer;

    /// <summary>Sends a single-frame message. Blocks while the pattern cannot send (peers full or absent); honours <see cref="SendTimeout"/>.</summary>
    /// <exception cref="ZmqTimeoutException">SNDTIMEO elapsed.</exception>
    public void Send(ReadOnlySpan<byte> frame)
    {
        if (!SendBlocking(new OutFrames(frame), _sndtimeoMs)) throw SendTimedOut();
    }

    /// <summary>Sends all frames of <paramref name="message"/> as one message (copied; the caller keeps ownership).</summary>
    /// <exception cref="ZmqTimeoutException">SNDTIMEO elapsed.</exception>
    public void Send(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!SendBlocking(new OutFrames(message), _sndtimeoMs)) throw SendTimedOut();
    }

    /// <summary>
    /// Sends all frames of <paramref name="message"/> as one message and takes the message over:
    /// its buffer goes to the peer's queue as it is, without a copy (an inproc receiver gets the very
    /// bytes that were written), and the message is disposed. Once this returns, do not use the
    /// message again. If it throws (e.g. <see cref="ZmqTimeoutException"/>), nothing was sent and
    /// the message is still the caller's. Where the message must be changed on its way (ROUTER
    /// strips the routing id, REQ/REP add an envelope) or goes to several peers (PUB), it is copied
    /// as by <see cref="Send(Message)"/> and then disposed.
    /// </summary>
    /// <exception cref="ZmqTimeoutException">SNDTIMEO elapsed.</exception>
    public void SendAndDispose(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!SendBlocking(new OutFrames(message, takeOver: true), _sndtimeoMs)) throw SendTimedOut();
        message.Dispose();
    }

    /// <summary>
    /// As <see cref="SendAndDispose"/>, waiting at most <paramref name="timeout"/> (zero: not at all).
    /// True when sent (the message is disposed); false when it was not (the message is still the caller's).
    /// </summary>
    public bool TrySendAndDispose(Message message, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!SendBlocking(new OutFrames(message, takeOver: true), TimeoutMs(timeout))) return false;
        message.Dispose();
        return true;
    }

    /// <summary>Sends the given frames as one multipart message.</summary>
    /// <exception cref="ZmqTimeoutException">SNDTIMEO elapsed.</exception>
    public void SendFrames(params ReadOnlySpan<byte[]> frames)
    {
        if (frames.IsEmpty) throw new ArgumentException("a message needs at least one frame", nameof(frames));
        if (!SendBlocking(new OutFrames(frames), _sndtimeoMs)) throw SendTimedOut();
    }

    /// <summary>Sends the given frames as one multipart message.</summary>
    /// <exception cref="ZmqTimeoutException">SNDTIMEO elapsed.</exception>
    public void SendFrames(params ReadOnlySpan<ReadOnlyMemory<byte>> frames)
    {
        if (frames.IsEmpty) throw new ArgumentException("a message needs at least one frame", nameof(frames));
        if (!SendBlocking(new OutFrames(frames), _sndtimeoMs)) throw SendTimedOut();
    }

    /// <summary>Sends the given strings (UTF-8) as one multipart message.</summary>
    public void SendFrames(params ReadOnlySpan<string> frames)
    {
        if (frames.IsEmpty) throw new ArgumentException("a message needs at least one frame", nameof(frames));
        var arrays = new byte[frames.Length][];
        for (int i = 0; i < arrays.Length; i++) arrays[i] = Encoding.UTF8.GetBytes(frames[i]);
        SendFrames(arrays);
    }

    /// <summary>Sends <paramref name="text"/> as a single UTF-8 frame.</summary>
    public void SendString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buf = t_textBuffer;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (buf is null || buf.Length < max) t_textBuffer = buf = new byte[Math.Max(max, 256)];
        int n = Encoding.UTF8.GetBytes(text, buf);
        Send(buf.AsSpan(0, n));
    }

    /// <summary>Sends if it can be done without waiting; false otherwise.</summary>
    public bool TrySend(ReadOnlySpan<byte> frame) => SendBlocking(new OutFrames(frame), 0);

    /// <summary>Sends, waiting at most <paramref name="timeout"/>; false when it elapsed.</summary>
    public bool TrySend(ReadOnlySpan<byte> frame, TimeSpan timeout) => SendBlocking(new OutFrames(frame), TimeoutMs(timeout));

    /// <summary>Sends a message if it can be done without waiting; false otherwise.</summary>
    public bool TrySend(Message message) => SendBlocking(new OutFrames(message), 0);

    /// <summary>Sends a message, waiting at most <paramref name="timeout"/>; false when it elapsed.</summary>
    public bool TrySend(Message message, TimeSpan timeout) => SendBlocking(new OutFrames(message), TimeoutMs(timeout));

    /// <summary>
    /// Sends a single-frame message asynchronously. The bytes are copied before the first await, so
    /// the caller may reuse <paramref name="frame"/> as soon as this returns. Completes synchronously
    /// when there is room.
    /// </summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default)
    {
        if (SendBlocking(new OutFrames(frame.Span), 0)) return ValueTask.CompletedTask;
        var copy = new Message().Add(frame.Span);
        return SendAsyncSlow(copy, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="text"/> as a single UTF-8 frame asynchronously (encoded and copied before
    /// the first await). Completes synchronously when there is room.
    /// </summary>
    public ValueTask SendStringAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buf = t_textBuffer;
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (buf is null || buf.Length < max) t_textBuffer = buf = new byte[Math.Max(max, 256)];
        int n = Encoding.UTF8.GetBytes(text, buf);
        return SendAsync(buf.AsMemory(0, n), cancellationToken); // copies synchronously: the buffer is free again on return
    }

    /// <summary>Sends a message asynchronously (its frames are copied before the first await).</summary>
    public ValueTask SendAsync(Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (SendBlocking(new OutFrames(message), 0)) return ValueTask.CompletedTask;
        var copy = new Message();
        for (int i = 0; i < message.Count; i++) copy.Add(message.GetSpan(i));
        return SendAsyncSlow(copy, cancellationToken);
    }

    private async ValueTask SendAsyncSlow(Message copy, CancellationToken cancellationToken)
    {
        if (!await Waiting.UntilAsync(SendSignal, new SendMessage(this, copy), _sndtimeoMs, cancellationToken).ConfigureAwait(false))
            throw SendTimedOut();
    }

    /// <summary>Tries to send; waits up to <paramref name="timeoutMs"/> (-1 forever) for room. False when it timed out.</summary>
    private bool SendBlocking(in OutFrames message, int timeoutMs)
    {
        var attempt = new SendAttempt(this, message);
        return Waiting.Until(SendSignal, ref attempt, timeoutMs);
    }

    /// <summary>One try of a send: routes the message under the lock; an idle connection it woke is written to after the lock is released.</summary>
    private bool TrySendOnce(in OutFrames message)
    {
        ThrowIfDisposed();
        bool sent;
        ZmtpConnection? flush;
        lock (Gate)
        {
            _inSend = true;
            try
            {
                sent = TrySendLocked(message);
            }
            finally
            {
                _inSend = false;
                flush = _flushAfterSend;
                _flushAfterSend = null;
            }
            if (!sent) flush ??= FullPeerToFlush();
        }
        flush?.FlushFromCaller(); // never a socket call under the lock
        return sent;
    }

    /// <summary>
    /// The send would block because its peers' queues are full: a connection of theirs that is not
    /// writing right now (its I/O thread has not got to it yet) can be written to from here, which
    /// may make room without a sleep and a wake-up on either side.
    /// </summary>
    private ZmtpConnection? FullPeerToFlush()
    {
        if (Peers.Count > 16) return null;
        foreach (var p in Peers)
            if (p.Out.IsFull && p.Connection is { CanWriteNow: true } c) return c;
        return null;
    }

    /// <summary>Under <see cref="Gate"/>: a send is routing a message right now.</summary>
    private bool _inSend;

    /// <summary>Under <see cref="Gate"/>: the idle connection the current send woke, to be written to once the lock is released.</summary>
    private ZmtpConnection? _flushAfterSend;

    /// <summary>
    /// A connection woken by a producer asks to be written to from the producer's thread: yes when
    /// the producer is a send of this socket (under its lock) that has not taken another one yet.
    /// </summary>
    bool IEngineHost.DeferFlushToSender(ZmtpConnection connection)
    {
        if (!_inSend || _flushAfterSend is not null) return false;
        _flushAfterSend = connection;
        return true;
    }

    private readonly ref struct SendAttempt(Socket socket, in OutFrames message) : IAttempt
    {
        private readonly OutFrames _message = message;

        public bool Try() => socket.TrySendOnce(_message);

        public void Wait(Signal signal, int epoch, int timeoutMs) => signal.Wait(epoch, timeoutMs);

        public void BeforeAsyncWait() { }
    }

    private readonly struct SendMessage(Socket socket, Message message) : IAttempt
    {
        public bool Try() => socket.TrySendOnce(new OutFrames(message));

        public void Wait(Signal signal, int epoch, int timeoutMs) => signal.Wait(epoch, timeoutMs);

        public void BeforeAsyncWait() { }
    }

    private ZmqTimeoutException SendTimedOut() => new("send timed out (SNDTIMEO): no peer could take the message", Type);

    private static long Deadline(int timeoutMs) => Waiting.Deadline(timeoutMs);

    private static int Left(long deadline) => Waiting.Left(deadline);

    private int TimeoutMs(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return -1;
        if (timeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout));
        return (int)Math.Min(Math.Ceiling(timeout.TotalMilliseconds), int.MaxValue);
    }
}
