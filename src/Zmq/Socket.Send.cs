using System.Text;
using Zmq.Engine;
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
        long deadline = Deadline(_sndtimeoMs);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int e = SendSignal.Prepare();
            if (TrySendOnce(copy, out var error))
            {
                SendSignal.Cancel();
                return;
            }
            if (error is not null)
            {
                SendSignal.Cancel();
                throw error;
            }
            int left = Left(deadline);
            if (left == 0)
            {
                SendSignal.Cancel();
                throw SendTimedOut();
            }
            await SendSignal.WaitAsync(e, left, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TrySendOnce(Message m, out Exception? error)
    {
        error = null;
        try
        {
            return SendBlocking(new OutFrames(m), 0);
        }
        catch (Exception ex)
        {
            error = ex;
            return false;
        }
    }

    /// <summary>Tries to send; waits up to <paramref name="timeoutMs"/> (-1 forever) for room. False when it timed out.</summary>
    private bool SendBlocking(in OutFrames message, int timeoutMs)
    {
        ThrowIfDisposed();
        bool sent;
        CallerFlush.Enter();
        try
        {
            lock (Gate) sent = TrySendLocked(message);
        }
        finally
        {
            CallerFlush.Exit(); // outside the lock: an idle connection's write happens here
        }
        if (sent) return true;
        if (timeoutMs == 0) return false;
        long deadline = Deadline(timeoutMs);
        while (true)
        {
            int e = SendSignal.Prepare();
            try
            {
                ThrowIfDisposed();
                CallerFlush.Enter();
                try
                {
                    lock (Gate) sent = TrySendLocked(message);
                }
                finally
                {
                    CallerFlush.Exit();
                }
            }
            catch
            {
                SendSignal.Cancel();
                throw;
            }
            if (sent)
            {
                SendSignal.Cancel();
                return true;
            }
            int left = Left(deadline);
            if (left == 0)
            {
                SendSignal.Cancel();
                return false;
            }
            SendSignal.Wait(e, left);
        }
    }

    private ZmqTimeoutException SendTimedOut() => new("send timed out (SNDTIMEO): no peer could take the message", Type);

    private static long Deadline(int timeoutMs) => timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;

    /// <summary>Milliseconds left until <paramref name="deadline"/> (-1 for none, 0 when passed).</summary>
    private static int Left(long deadline)
    {
        if (deadline == long.MaxValue) return -1;
        long left = deadline - Environment.TickCount64;
        return left <= 0 ? 0 : (int)Math.Min(left, int.MaxValue);
    }

    private int TimeoutMs(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return -1;
        if (timeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout));
        return (int)Math.Min(Math.Ceiling(timeout.TotalMilliseconds), int.MaxValue);
    }
}
