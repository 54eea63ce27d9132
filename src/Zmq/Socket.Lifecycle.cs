using Zmq.Diagnostics;
using Zmq.Engine;
using Zmq.Transports;

namespace Zmq;

public abstract partial class Socket
{
    private volatile bool _terminated;
    private CancellationTokenSource? _closedSource;

    /// <summary>
    /// Cancelled once the socket is closed: when <see cref="Dispose"/> begins (as
    /// <see cref="IsDisposed"/> turns true) or its <see cref="Context"/> is terminated. For code that
    /// must learn of the close without calling the socket, e.g. to link with its own cancellation
    /// (<c>CancellationTokenSource.CreateLinkedTokenSource(token, socket.Closed)</c>) or to complete a
    /// task when the socket goes away. Read after the close, it is already cancelled. Callbacks
    /// registered on it run on the thread that closes the socket: keep them short and non-blocking
    /// (an exception they throw is ignored). Costs nothing until first read.
    /// </summary>
    public CancellationToken Closed
    {
        get
        {
            var source = Volatile.Read(ref _closedSource);
            if (source is null)
            {
                var created = new CancellationTokenSource();
                source = Interlocked.CompareExchange(ref _closedSource, created, null) ?? created;
                if (_disposed || _terminated) CancelClosed(); // closed while it was being made
            }
            return source.Token;
        }
    }

    /// <summary>Cancels <see cref="Closed"/> if anybody has read it (its callbacks' exceptions are ignored).</summary>
    private void CancelClosed()
    {
        var source = Volatile.Read(ref _closedSource);
        if (source is null || source.IsCancellationRequested) return;
        try
        {
            source.Cancel();
        }
        catch (AggregateException)
        {
            // a callback's fault must not stop the close
        }
    }

    /// <summary>
    /// Closes the socket. Queued outgoing messages get up to <see cref="Linger"/> to be delivered,
    /// where delivered means the peer has read them (not just our kernel buffer); then every
    /// connection is closed. Connections still in their handshake are dropped at once. Safe to call
    /// more than once.
    /// </summary>
    public void Dispose() => Close(Deadline(_lingerMs));

    /// <summary>Closes with <paramref name="deadline"/> as the end of the linger (one deadline for the whole socket).</summary>
    internal void Close(long deadline)
    {
        if (_disposed) return;
        List<Listener> listeners;
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            listeners = [.. _listeners];
            _listeners.Clear();
        }
        CancelClosed();
        foreach (var l in listeners) l.Stop();
        SendSignal.Notify();
        RecvSignal.Notify();

        if (_lingerMs != 0 && LingersOnClose) WaitForDelivery(deadline);

        List<Connector> connectors;
        List<ZmtpConnection> connections;
        int undelivered = 0;
        lock (Gate)
        {
            _closing = true;
            connectors = [.. _connectors];
            _connectors.Clear();
            connections = [.. _connections];
            if (LingersOnClose)
                foreach (var p in Peers)
                    if (!IsDelivered(p)) undelivered += p.Out.Count;
        }
        if (undelivered > 0 && _lingerMs != 0)
        {
            // Queued messages plus those written that the peer has not received yet.
            foreach (var c in connections) undelivered += c.UnreceivedMessagesEstimate();
            ReportLingerDrop(undelivered);
        }
        foreach (var c in connectors) c.Stop();
        if (_lingerMs != 0 && undelivered == 0 && LingersOnClose)
        {
            // Half-close each connection past its handshake, and wait for its peer to read
            // everything and close its side, all within the one deadline.
            foreach (var c in connections)
            {
                if (c.HandshakeDone) c.ShutdownSend();
                else c.Close("socket disposed", error: false);
            }
            foreach (var c in connections)
            {
                int left = Left(deadline);
                if (left == 0) break;
                c.Completion.Wait(left);
            }
            // Written but not received by a peer that did not finish in time: dropped, and said so.
            int unreceived = 0;
            foreach (var c in connections)
                if (!c.Completion.IsCompleted) unreceived += c.UnreceivedMessagesEstimate();
            if (unreceived > 0) ReportLingerDrop(unreceived);
        }
        foreach (var c in connections) c.Close("socket disposed", error: false);
        // Closing is the I/O threads' work, quick: wait for it so that the monitors see every
        // DISCONNECTED before MONITOR_STOPPED (not from an I/O thread, which would wait for itself).
        if (!Context.OnIoThread)
            foreach (var c in connections) c.Completion.Wait(2000);
        LeaveInprocPeers();
        StopMonitors();
        RecvSignal.Dispose();
        Context.Remove(this);
    }

    /// <summary>When this socket's linger ends if it starts at <paramref name="start"/> (Environment.TickCount64).</summary>
    internal long LingerDeadline(long start) => _lingerMs < 0 ? long.MaxValue : start + _lingerMs;

    /// <summary>The context is terminating: calls blocked on this socket end with <see cref="ZmqError.ContextTerminated"/>.</summary>
    internal void Terminate()
    {
        _terminated = true;
        CancelClosed();
        SendSignal.Notify();
        RecvSignal.Notify();
    }

    /// <summary>A linger ran out with <paramref name="dropped"/> messages undelivered: said in the log, to monitors and in the metrics.</summary>
    private void ReportLingerDrop(int dropped)
    {
        Log.LingerDropped(Logger, Type, dropped);
        Monitors?.LingerExpired(dropped);
        ZmqMetrics.LingerDropped.Add(dropped, new KeyValuePair<string, object?>("socket.type", Routing.SocketTypeInfo.WireName(Type)));
    }

    /// <summary>Closes the socket without blocking the caller's thread while <see cref="Linger"/> runs.</summary>
    public ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        if (_lingerMs == 0 || !LingersOnClose || !HasQueuedOutput())
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
        return new ValueTask(Task.Run(Dispose));
    }

    private bool HasQueuedOutput()
    {
        lock (Gate)
        {
            foreach (var p in Peers)
                if (!IsDelivered(p) && !p.Out.IsEmpty) return true;
            foreach (var c in _connections)
                if (!c.WriterIdle) return true;
        }
        return false;
    }

    /// <summary>
    /// An inproc peer's outbound pipe is the other socket's inbound queue, so what is in it has
    /// arrived, once joined; a connect still waiting for its bind lingers like an unconnected tcp peer.
    /// </summary>
    private static bool IsDelivered(Pipes.Peer p) => p.IsInproc && p.InprocPartner is not null;

    private void WaitForDelivery(long deadline)
    {
        while (true)
        {
            int e = _idleSignal.Prepare();
            if (!HasQueuedOutput())
            {
                _idleSignal.Cancel();
                return;
            }
            int left = Left(deadline);
            if (left == 0)
            {
                _idleSignal.Cancel();
                return;
            }
            // Bounded slices: a writer's idle notification may race with our check.
            _idleSignal.Wait(e, left < 0 ? 20 : Math.Min(left, 20));
        }
    }
}
