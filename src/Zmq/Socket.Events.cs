using Zmq.Internal;

namespace Zmq;

public abstract partial class Socket
{
    /// <summary>
    /// ZMQ_EVENTS: whether a receive would return a message now (<see cref="PollEvents.In"/>) and a
    /// send would not wait (<see cref="PollEvents.Out"/>), by the socket type's own rules (REQ is
    /// ready to send only when no reply is outstanding, REP only while it owes one; PUB, XPUB,
    /// XSUB and a ROUTER without <see cref="RouterSocket.Mandatory"/> are always ready to send,
    /// since they drop rather than wait; PUSH and PUB are never ready to receive). Reading it never
    /// takes a message: messages that the type's rules would discard anyway (a REQ's stale replies,
    /// a SUB's unmatched ones, a REP's malformed requests) are discarded, as a receive would.
    /// To wait on many sockets, see <see cref="WatchReadiness"/>.
    /// </summary>
    /// <exception cref="ZmqException">The socket is disposed or its context terminated.</exception>
    public PollEvents Events
    {
        get
        {
            ThrowIfDisposed();
            PollEvents events;
            lock (Gate)
            {
                events = (HasInLocked() ? PollEvents.In : 0) | (HasOutLocked() ? PollEvents.Out : 0);
            }
            // Nothing queued: a connection whose reading this thread took over (the caller-thread
            // receive) hands it back, so that what arrives is queued and a watch is told.
            if ((events & PollEvents.In) == 0 && ReceivesData) HandBackReading();
            return events;
        }
    }

    /// <summary>Under the lock: a receive would return a message now (discarding only what it would discard too).</summary>
    private protected abstract bool HasInLocked();

    /// <summary>Under the lock: a send would not wait now.</summary>
    private protected abstract bool HasOutLocked();

    /// <summary>Under the lock: any peer has a message queued (the fair-queuing types).</summary>
    private protected bool AnyQueuedLocked()
    {
        foreach (var p in Peers)
            if (p.In.HasQueued) return true;
        return false;
    }

    /// <summary>Under the lock: an attached peer can take another message (the load-balancing types).</summary>
    private protected bool AnyRoomLocked()
    {
        foreach (var p in Peers)
            if (p.Attached && Routing.Outbox.HasRoom(p)) return true;
        return false;
    }

    /// <summary>
    /// Registers <paramref name="onChange"/> to be called after <see cref="ReadinessWatch.Arm"/>
    /// when <see cref="Events"/> may have changed: a message arrived, a queue gained room, a peer
    /// attached, the socket was disposed or its context terminated. The callback runs on the thread
    /// that made the change (an I/O thread, another socket's sender), at most twice per
    /// <see cref="ReadinessWatch.Arm"/> (once for input, once for output), and may run when nothing changed
    /// (exceptions it throws are ignored): it must be short, must not
    /// block and must not use this socket; it should wake the waiter, which then reads
    /// <see cref="Events"/>. Protocol: <c>watch.Arm()</c>, read <see cref="Events"/>, and only if
    /// it is not what you wait for, sleep until the callback. Pollers (Zmq.Toolkit's
    /// <c>Poller</c>) are built on this; it costs the socket nothing while no watch is armed.
    /// </summary>
    public ReadinessWatch WatchReadiness(Action onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        ThrowIfDisposed();
        return new ReadinessWatch(this, onChange);
    }
}

/// <summary>
/// A registration made by <see cref="Socket.WatchReadiness"/>: <see cref="Arm"/> before each look
/// at <see cref="Socket.Events"/>; <see cref="Dispose"/> ends it (the callback is not called after
/// Dispose returns, except by a notification already running).
/// </summary>
public sealed class ReadinessWatch : IDisposable
{
    private readonly Socket _socket;
    private readonly Action _onChange;
    private int _disposed;

    internal ReadinessWatch(Socket socket, Action onChange)
    {
        _socket = socket;
        _onChange = onChange;
        socket.RecvSignal.AddListener(onChange);
        socket.SendSignal.AddListener(onChange);
    }

    /// <summary>The watched socket.</summary>
    public Socket Socket => _socket;

    /// <summary>Asks for one call of the callback at the next change; then read <see cref="Socket.Events"/>. Cheap: call it before every look.</summary>
    public void Arm()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        _socket.RecvSignal.Prepare();
        _socket.SendSignal.Prepare();
    }

    /// <summary>Ends the watch.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _socket.RecvSignal.RemoveListener(_onChange);
        _socket.SendSignal.RemoveListener(_onChange);
    }
}
