using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Zmq.Internal;

namespace Zmq;

public abstract partial class Socket
{
    /// <summary>Receives the next message, blocking until one arrives; honours <see cref="ReceiveTimeout"/>. Dispose the message when done.</summary>
    /// <exception cref="ZmqTimeoutException">RCVTIMEO elapsed.</exception>
    public Message Receive()
    {
        var m = Message.Rent();
        if (ReceiveBlocking(m, _rcvtimeoMs)) return m;
        m.Dispose();
        throw ReceiveTimedOut();
    }

    /// <summary>Receives a message if one is waiting; false otherwise.</summary>
    public bool TryReceive([NotNullWhen(true)] out Message? message) => TryReceive(TimeSpan.Zero, out message);

    /// <summary>Receives a message, waiting at most <paramref name="timeout"/>; false when it elapsed.</summary>
    public bool TryReceive(TimeSpan timeout, [NotNullWhen(true)] out Message? message)
    {
        var m = Message.Rent();
        if (ReceiveBlocking(m, TimeoutMs(timeout)))
        {
            message = m;
            return true;
        }
        m.Dispose();
        message = null;
        return false;
    }

    /// <summary>Receives the next message asynchronously; completes synchronously when one is waiting.</summary>
    /// <exception cref="ZmqTimeoutException">RCVTIMEO elapsed.</exception>
    public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        var m = Message.Rent();
        try
        {
            if (ReceiveBlocking(m, 0)) return new ValueTask<Message>(m);
        }
        catch
        {
            m.Dispose();
            throw;
        }
        return ReceiveAsyncSlow(m, cancellationToken);
    }

    private async ValueTask<Message> ReceiveAsyncSlow(Message m, CancellationToken cancellationToken)
    {
        try
        {
            if (!await Waiting.UntilAsync(RecvSignal, new ReceiveInto(this, m), _rcvtimeoMs, cancellationToken).ConfigureAwait(false))
                throw ReceiveTimedOut();
            return m;
        }
        catch
        {
            m.Dispose();
            throw;
        }
    }

    /// <summary>Receives a single-frame message and returns a copy of its bytes.</summary>
    /// <exception cref="ZmqException">The message had more than one frame (use <see cref="ReceiveFrames"/>).</exception>
    public byte[] ReceiveBytes()
    {
        using var m = Receive();
        return SingleFrame(m).ToArray();
    }

    /// <summary>Receives a single-frame message as a UTF-8 string.</summary>
    /// <exception cref="ZmqException">The message had more than one frame (use <see cref="ReceiveStrings"/>).</exception>
    public string ReceiveString()
    {
        using var m = Receive();
        SingleFrame(m);
        return m.GetString(0);
    }

    /// <summary>Receives a single-frame message as a UTF-8 string asynchronously.</summary>
    /// <exception cref="ZmqException">The message had more than one frame.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async ValueTask<string> ReceiveStringAsync(CancellationToken cancellationToken = default)
    {
        using var m = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
        SingleFrame(m);
        return m.GetString(0);
    }

    /// <summary>Receives a single-frame message and writes its bytes to <paramref name="writer"/>; returns the count.</summary>
    public int Receive(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var m = Receive();
        var frame = SingleFrame(m);
        writer.Write(frame);
        return frame.Length;
    }

    /// <summary>Receives a message and returns copies of all its frames.</summary>
    public byte[][] ReceiveFrames()
    {
        using var m = Receive();
        return m.ToArrays();
    }

    /// <summary>Receives a message and returns all its frames as UTF-8 strings.</summary>
    public string[] ReceiveStrings()
    {
        using var m = Receive();
        var result = new string[m.Count];
        for (int i = 0; i < result.Length; i++) result[i] = m.GetString(i);
        return result;
    }

    private ReadOnlySpan<byte> SingleFrame(Message m)
    {
        if (m.Count != 1)
            throw new ZmqException(ZmqError.InvalidMessage, $"received a {m.Count}-frame message where one frame was expected; use Receive() or ReceiveFrames() for multipart messages", Type);
        return m.GetSpan(0);
    }

    private bool ReceiveBlocking(Message into, int timeoutMs)
    {
        var attempt = new ReceiveInto(this, into);
        return Waiting.Until(RecvSignal, ref attempt, timeoutMs);
    }

    private bool TryReceiveOnce(Message into)
    {
        ThrowIfDisposed();
        Engine.ZmtpConnection? sole;
        bool whole = TakesMessagesWhole;
        lock (Gate)
        {
            if (TryReceiveLocked(into)) return true;
            sole = SoleConnection();
            if (whole && sole is not null && TakeBuffered(sole, into)) return true;
        }
        // Nothing queued and one connection: read its socket from this thread (no hand-over).
        if (sole is null || !sole.ReadFromCaller(direct: whole)) return false;
        lock (Gate) return TryReceiveLocked(into) || whole && TakeBuffered(sole, into);
    }

    /// <summary>Under the lock: a message the connection keeps whole in its buffer, taken straight (or queued first when it must be).</summary>
    private bool TakeBuffered(Engine.ZmtpConnection connection, Message into) => connection.TryTakeBuffered(into) switch
    {
        Engine.BufferedTake.Took => true,
        Engine.BufferedTake.Queued => TryReceiveLocked(into),
        _ => false,
    };

    /// <summary>
    /// True for the types that take each message as it arrives, with nothing to route or check
    /// (PULL, DEALER, PAIR): with one connection, a receive may parse it straight from the
    /// connection's buffer into the message (no queue in between).
    /// </summary>
    private protected virtual bool TakesMessagesWhole => false;

    /// <summary>Under the lock: the connection of the socket's only peer, when that is all there is to receive from.</summary>
    private Engine.ZmtpConnection? SoleConnection()
    {
        if (Peers.Count != 1) return null;
        var p = Peers[0];
        return p.In.IsConflating ? null : p.Connection;
    }

    private readonly struct ReceiveInto(Socket socket, Message into) : IAttempt
    {
        public bool Try() => socket.TryReceiveOnce(into);

        public void Wait(Signal signal, int epoch, int timeoutMs) => socket.WaitForInput(signal, epoch, timeoutMs);

        public void BeforeAsyncWait() => socket.HandBackReading();
    }

    /// <summary>An asynchronous receive is about to await: the I/O thread reads for it meanwhile.</summary>
    private void HandBackReading()
    {
        Engine.ZmtpConnection? sole;
        lock (Gate)
        {
            sole = SoleConnection();
            WakeInboundProducers();
        }
        sole?.HandBack();
    }

    /// <summary>
    /// Under the lock, before a receive sleeps: any producer (a connection, an inproc sender) that
    /// waits for room in our queues is woken (takes wake a producer only from a full queue, so one
    /// that saw a full queue a moment too early is woken here at the latest).
    /// </summary>
    private void WakeInboundProducers()
    {
        foreach (var p in Peers) p.In.WakeProducer();
    }

    /// <summary>
    /// A receive waits: on its one connection's socket itself when it has one (woken by the kernel
    /// when bytes arrive, one wake-up instead of the I/O thread's and then ours), else on the signal.
    /// </summary>
    private void WaitForInput(Signal signal, int epoch, int timeoutMs)
    {
        Engine.ZmtpConnection? sole;
        lock (Gate)
        {
            sole = SoleConnection();
            WakeInboundProducers();
        }
        if (sole is not null)
        {
            if (sole.WaitReadable(signal, epoch, timeoutMs)) return;
            sole.HandBack();
        }
        signal.Wait(epoch, timeoutMs);
    }

    private ZmqTimeoutException ReceiveTimedOut() => new("receive timed out (RCVTIMEO): no message arrived", Type);
}
