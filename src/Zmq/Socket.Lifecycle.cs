using Zmq.Diagnostics;
using Zmq.Engine;
using Zmq.Transports;

namespace Zmq;

public abstract partial class Socket
{
    /// <summary>
    /// Closes the socket. Queued outgoing messages get up to <see cref="Linger"/> to be delivered,
    /// where delivered means the peer has read them (not just our kernel buffer); then every
    /// connection is closed. Safe to call more than once.
    /// </summary>
    public void Dispose()
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
        foreach (var l in listeners) l.Stop();
        SendSignal.Notify();
        RecvSignal.Notify();

        long deadline = Deadline(_lingerMs);
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
            // Half-close and wait for each peer to read everything and close its side.
            foreach (var c in connections) c.ShutdownSend();
            foreach (var c in connections)
            {
                int left = Left(deadline);
                if (left == 0) break;
                c.Completion.Wait(left < 0 ? 2000 : Math.Min(left, 2000));
            }
            // Written but not received by a peer that did not finish in time: dropped, and said so.
            int unreceived = 0;
            foreach (var c in connections)
                if (!c.Completion.IsCompleted) unreceived += c.UnreceivedMessagesEstimate();
            if (unreceived > 0)
            {
                ReportLingerDrop(unreceived);
            }
        }
        foreach (var c in connections) c.Close("socket disposed", error: false);
        LeaveInprocPeers();
        StopMonitors();
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
