namespace Zmq.Toolkit;

/// <summary>Why a <see cref="Poller"/> wait ended.</summary>
public enum PollStatus
{
    /// <summary>A socket is ready: <see cref="PollResult.Socket"/> and <see cref="PollResult.Events"/> say which and for what.</summary>
    Ready,
    /// <summary>The time-out elapsed with no socket ready.</summary>
    TimedOut,
    /// <summary>The cancellation token was cancelled first.</summary>
    Cancelled,
    /// <summary>
    /// A socket of the poller was disposed, or its context terminated (<see cref="PollResult.Socket"/>
    /// says which). It has been removed from the poller. CZMQ's zpoller_terminated.
    /// </summary>
    Closed,
    /// <summary><see cref="Poller.Interrupt"/> was called (during the wait or before it).</summary>
    Interrupted,
}

/// <summary>The outcome of a <see cref="Poller"/> wait: why it ended and, when ready, which socket for what.</summary>
/// <param name="Status">Why the wait ended.</param>
/// <param name="Socket">The ready (or closed) socket; null when the wait timed out or was cancelled. An actor's is its <see cref="Actor.Pipe"/>.</param>
/// <param name="Events">What the socket is ready for (of what it was added for); <see cref="PollEvents.None"/> unless ready.</param>
public readonly record struct PollResult(PollStatus Status, Socket? Socket, PollEvents Events)
{
    /// <summary>True when a socket is ready.</summary>
    public bool IsReady => Status == PollStatus.Ready;

    /// <summary>True when it is <paramref name="socket"/> that is ready.</summary>
    public bool Is(Socket socket) => IsReady && ReferenceEquals(Socket, socket);

    /// <summary>True when it is <paramref name="actor"/>'s pipe that is ready.</summary>
    public bool Is(Actor actor) => actor is not null && IsReady && ReferenceEquals(Socket, actor.Pipe);

    internal static PollResult TimedOut => new(PollStatus.TimedOut, null, PollEvents.None);

    internal static PollResult Cancelled => new(PollStatus.Cancelled, null, PollEvents.None);

    internal static PollResult Interrupted => new(PollStatus.Interrupted, null, PollEvents.None);
}
