using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zmq.Toolkit;

/// <summary>Why <see cref="Reactor.Run"/> returned.</summary>
public enum ReactorExit
{
    /// <summary>A handler (or another thread) called <see cref="Reactor.Stop"/>.</summary>
    Stopped,
    /// <summary>The cancellation token was cancelled.</summary>
    Cancelled,
    /// <summary>Nothing was left to wait for: no readers, timers or tickets.</summary>
    NoWork,
}

/// <summary>
/// CZMQ's zloop (with ztimerset's timers): one thread runs the handlers of readers (a socket has
/// input), timers (a delay, repeated a number of times or for ever) and tickets (one shared
/// delay, cheap to reset: the time-outs of many peers' heartbeats), so handlers need no locks.
/// Everything is registered and run on the thread that calls <see cref="Run"/>, except
/// <see cref="Post"/> and <see cref="Stop"/>, which any thread may call. A handler ends the loop
/// with <see cref="Stop"/>; a handler's exception ends <see cref="Run"/> with that exception
/// (logged first); the reactor can be run again.
/// </summary>
/// <example>
/// <code>
/// using var reactor = new Reactor();
/// reactor.AddReader(backend, s => frontend.Send(s.Receive()));
/// var ping = reactor.AddTimer(TimeSpan.FromSeconds(1), 0, t => Heartbeat());
/// var expiry = reactor.AddTicket(t => PeerIsDead());   // reset on every message from the peer
/// reactor.Run(stoppingToken);
/// </code>
/// </example>
public sealed partial class Reactor : IDisposable
{
    private readonly Poller _poller = new();
    private readonly Dictionary<Socket, Action<Socket>> _readers = new(ReferenceEqualityComparer.Instance);
    private readonly ILogger _logger;
    private readonly Lock _postGate = new();
    private Queue<Action> _posted = new();
    private Queue<Action> _running = new();
    private int _stop;
    private bool _inRun;
    private bool _disposed;

    /// <summary>A reactor; <paramref name="logger"/> hears of failing handlers and closed readers.</summary>
    public Reactor(ILogger? logger = null) => _logger = logger ?? NullLogger.Instance;

    /// <summary>
    /// Calls <paramref name="handler"/> whenever <paramref name="socket"/> has input (zloop_reader):
    /// it should receive what is there. Replaces an earlier handler of the same socket. A socket
    /// disposed while registered is removed (and logged).
    /// </summary>
    public void AddReader(Socket socket, Action<Socket> handler)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();
        _readers[socket] = handler;
        _poller.Add(socket);
    }

    /// <summary>Stops reading <paramref name="socket"/> (zloop_reader_end); true when it was a reader.</summary>
    public bool RemoveReader(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _poller.Remove(socket);
        return _readers.Remove(socket);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the reactor's thread at its next turn: how other threads
    /// hand work to it. Callable from any thread, also before <see cref="Run"/> (it then runs
    /// first thing).
    /// </summary>
    public void Post(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_postGate) _posted.Enqueue(action);
        _poller.Interrupt();
    }

    /// <summary>
    /// Ends <see cref="Run"/> after the current handler returns (from a handler or any thread). Called
    /// while no Run is going on (e.g. by another thread before the reactor's thread got to Run), it
    /// ends the next Run at once, so a stop is never lost.
    /// </summary>
    public void Stop()
    {
        Volatile.Write(ref _stop, 1);
        _poller.Interrupt();
    }

    /// <summary>
    /// Runs handlers until <see cref="Stop"/>, cancellation, or nothing is left to wait for;
    /// returns which. A handler's exception is logged and thrown from here (the failing timer,
    /// ticket or reader stays registered).
    /// </summary>
    /// <exception cref="InvalidOperationException">Run is already running.</exception>
    public ReactorExit Run(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (_inRun) throw new InvalidOperationException("the reactor is already running");
        _inRun = true;
        using var wake = cancellationToken.Register(static p => ((Poller)p!).Interrupt(), _poller);
        try
        {
            while (true)
            {
                RunPosted();
                if (Stopped(cancellationToken) is { } exit) return exit;
                long now = Clock.NowMs;
                FireTimers(now);
                if (Stopped(cancellationToken) is { } exit2) return exit2;
                FireTickets(now);
                if (Stopped(cancellationToken) is { } exit3) return exit3;
                if (_readers.Count == 0 && !HasTimers && !HasTickets && PostedCount == 0) return ReactorExit.NoWork;
                var r = _poller.Wait(NextWait(), cancellationToken);
                switch (r.Status)
                {
                    case PollStatus.Ready:
                        if (_readers.TryGetValue(r.Socket!, out var handler)) Invoke(handler, r.Socket!, "reader");
                        break;
                    case PollStatus.Closed:
                        _readers.Remove(r.Socket!);
                        _logger.LogWarning("reactor: reader {Socket} was disposed; removed", r.Socket);
                        break;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _stop, 0); // this Run has ended, whichever way: a Stop before it is spent
            _inRun = false;
        }
    }

    private ReactorExit? Stopped(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _stop) != 0) return ReactorExit.Stopped;
        if (cancellationToken.IsCancellationRequested) return ReactorExit.Cancelled;
        return null;
    }

    private int PostedCount
    {
        get
        {
            lock (_postGate) return _posted.Count;
        }
    }

    private void RunPosted()
    {
        lock (_postGate)
        {
            if (_posted.Count == 0) return;
            (_posted, _running) = (_running, _posted);
        }
        while (_running.TryDequeue(out var action))
        {
            try
            {
                Invoke(static a => a(), action, "posted action");
            }
            catch
            {
                // the rest still runs at the next turn
                lock (_postGate)
                {
                    while (_running.TryDequeue(out var rest)) _posted.Enqueue(rest);
                }
                throw;
            }
        }
    }

    /// <summary>How long the poller may sleep: until the next timer or ticket (no limit when there is none).</summary>
    private TimeSpan NextWait()
    {
        long next = Math.Min(NextTimerDue, NextTicketDue);
        if (next == long.MaxValue) return Timeout.InfiniteTimeSpan;
        long left = next - Clock.NowMs;
        return TimeSpan.FromMilliseconds(Math.Max(0, left));
    }

    private void Invoke<T>(Action<T> handler, T argument, string what)
    {
        try
        {
            handler(argument);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "reactor: a {What} handler failed; Run ends with its exception", what);
            ExceptionDispatchInfo.Throw(e);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Forgets every reader, timer and ticket (the sockets stay open: the reactor owns none).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _readers.Clear();
        ClearTimers();
        _poller.Dispose();
    }
}
