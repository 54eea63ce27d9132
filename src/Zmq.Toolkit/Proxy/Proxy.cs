using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zmq.Toolkit;

/// <summary>Why <see cref="Proxy.Run"/> returned.</summary>
public enum ProxyExit
{
    /// <summary>TERMINATE on the control socket, or <see cref="Proxy.Terminate"/>.</summary>
    Terminated,
    /// <summary>The cancellation token was cancelled.</summary>
    Cancelled,
    /// <summary>The frontend, backend or control socket was disposed, or its context terminated (libzmq's ETERM).</summary>
    SocketClosed,
}

/// <summary>
/// libzmq's zmq_proxy and zmq_proxy_steerable: forwards messages from the frontend to the backend
/// and back (each direction where the types can receive and send: ROUTER/DEALER both ways,
/// XSUB/XPUB with subscriptions flowing upstream, PULL/PUSH one way), optionally copying every
/// message to a capture socket. Steered by a control socket (PAUSE, RESUME, TERMINATE,
/// STATISTICS, as libzmq: a REP control socket gets an empty reply to the first three) or by
/// <see cref="Pause"/>, <see cref="Resume"/> and <see cref="Terminate"/> from any thread.
/// Nothing is lost or reordered: a message is sent on only when the other side can take it (a
/// message taken while the other side filled up waits, first in line), and a pause leaves
/// messages in the sockets' queues, under their high-water marks. A copy that the capture
/// socket cannot take at once is dropped (counted in <see cref="CaptureDropped"/>): capture never
/// slows the proxy. The proxy does not own the sockets.
/// </summary>
/// <example>
/// <code>
/// using var frontend = new RouterSocket("@tcp://*:5555");
/// using var backend = new DealerSocket("@tcp://*:5556");
/// var proxy = new Proxy(frontend, backend);
/// proxy.Run(cancellationToken: stoppingToken);   // or proxy.Start() for a thread of its own
/// </code>
/// </example>
public sealed partial class Proxy : IDisposable
{
    private const int Burst = 1000;

    private readonly Poller _poller = new();
    private readonly ILogger _logger;
    private readonly Direction _forward;
    private readonly Direction _backward;
    private readonly long[] _stats = new long[8];
    private Socket? _control;
    private int _pauseRequest; // 1 pause, 2 resume: applied by the proxy's thread
    private int _terminate;
    private long _captureDropped;
    private bool _paused;
    private int _running;

    /// <summary>A proxy between <paramref name="frontend"/> and <paramref name="backend"/>, copying every message to <paramref name="capture"/> when given.</summary>
    /// <exception cref="ArgumentException">Neither direction can carry messages (e.g. a PUSH frontend with a PULL backend), or a socket is given twice.</exception>
    public Proxy(Socket frontend, Socket backend, Socket? capture = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(frontend);
        ArgumentNullException.ThrowIfNull(backend);
        if (ReferenceEquals(frontend, backend) || ReferenceEquals(capture, frontend) || ReferenceEquals(capture, backend))
            throw new ArgumentException("the frontend, backend and capture sockets must be three different sockets");
        if (capture is not null && !CanSend(capture.Type))
            throw new ArgumentException($"a {Name(capture)} capture socket cannot send", nameof(capture));
        Frontend = frontend;
        Backend = backend;
        Capture = capture;
        _logger = logger ?? NullLogger.Instance;
        _forward = new Direction(frontend, backend, 0, 4, CanReceive(frontend.Type) && CanSend(backend.Type));
        _backward = new Direction(backend, frontend, 4, 0, CanReceive(backend.Type) && CanSend(frontend.Type));
        if (!_forward.Active && !_backward.Active)
            throw new ArgumentException($"nothing can flow between a {Name(frontend)} frontend and a {Name(backend)} backend: each direction needs a side that receives and one that sends");
    }

    /// <summary>The frontend socket.</summary>
    public Socket Frontend { get; }

    /// <summary>The backend socket.</summary>
    public Socket Backend { get; }

    /// <summary>The capture socket, if any (it may be set before <see cref="Run"/>, or from the proxy's own thread).</summary>
    public Socket? Capture { get; set; }

    /// <summary>True while paused.</summary>
    public bool IsPaused => Volatile.Read(ref _paused);

    /// <summary>Copies the capture socket could not take at once (dropped).</summary>
    public long CaptureDropped => Interlocked.Read(ref _captureDropped);

    /// <summary>What has passed so far (readable from any thread while the proxy runs).</summary>
    public ProxyStatistics Statistics
    {
        get
        {
            long V(int i) => Interlocked.Read(ref _stats[i]);
            return new(new(V(0), V(1), V(2), V(3)), new(V(4), V(5), V(6), V(7)));
        }
    }

    /// <summary>Stops forwarding (messages wait in the sockets' queues). From any thread.</summary>
    public void Pause() => Request(1);

    /// <summary>Forwards again after <see cref="Pause"/>. From any thread.</summary>
    public void Resume() => Request(2);

    /// <summary>Makes <see cref="Run"/> return <see cref="ProxyExit.Terminated"/>. From any thread.</summary>
    public void Terminate()
    {
        Volatile.Write(ref _terminate, 1);
        _poller.Interrupt();
    }

    private void Request(int what)
    {
        Volatile.Write(ref _pauseRequest, what);
        _poller.Interrupt();
    }

    /// <summary>
    /// Forwards on the calling thread until TERMINATE (on <paramref name="control"/>, or
    /// <see cref="Terminate"/>), cancellation, or a socket closing; returns which.
    /// <paramref name="control"/> takes libzmq's commands as one-frame strings: PAUSE, RESUME,
    /// TERMINATE (a REP control socket gets an empty reply) and STATISTICS (replied with
    /// <see cref="ProxyStatistics.ToFrames"/>; needs a control socket that can send). An unknown
    /// command is logged and, for REP, answered with one frame starting "ERROR".
    /// </summary>
    /// <exception cref="InvalidOperationException">The proxy is already running.</exception>
    public ProxyExit Run(Socket? control = null, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0) throw new InvalidOperationException("the proxy is already running");
        try
        {
            _control = control;
            if (control is not null) _poller.Add(control);
            using var wake = cancellationToken.Register(static p => ((Poller)p!).Interrupt(), _poller);
            while (true)
            {
                if (Steer() is { } exit) return exit;
                if (cancellationToken.IsCancellationRequested) return ProxyExit.Cancelled;
                if (!_paused)
                {
                    bool moved = Forward(_forward) | Forward(_backward);
                    if (moved) continue; // look at commands between bursts
                }
                Arm();
                var r = _poller.Wait(Timeout.InfiniteTimeSpan, cancellationToken);
                if (r.Status == PollStatus.Cancelled) return ProxyExit.Cancelled;
                if (r.Status == PollStatus.Closed)
                {
                    _logger.LogWarning("proxy: the {Socket} was disposed or its context terminated; the proxy ends", r.Socket);
                    return ProxyExit.SocketClosed;
                }
            }
        }
        catch (ZmqException e) when (e.Error is ZmqError.Disposed or ZmqError.ContextTerminated)
        {
            _logger.LogWarning("proxy: {Reason}; the proxy ends", e.Message);
            return ProxyExit.SocketClosed;
        }
        finally
        {
            if (control is not null) _poller.Remove(control);
            _control = null;
            Volatile.Write(ref _terminate, 0);
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Runs <see cref="Run"/> on a thread of its own (named zproxy); the task ends with its result.</summary>
    public Task<ProxyExit> Start(Socket? control = null, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<ProxyExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.TrySetResult(Run(control, cancellationToken));
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        { IsBackground = true, Name = "zproxy" };
        thread.Start();
        return done.Task;
    }

    /// <summary>Applies requests from other threads and the control socket's commands; an exit when asked to end.</summary>
    private ProxyExit? Steer()
    {
        switch (Interlocked.Exchange(ref _pauseRequest, 0))
        {
            case 1: SetPaused(true); break;
            case 2: SetPaused(false); break;
        }
        while (_control is { } control && control.TryReceive(out var command))
        {
            using (command)
            {
                if (HandleCommand(control, command)) return ProxyExit.Terminated;
            }
        }
        return Volatile.Read(ref _terminate) != 0 ? ProxyExit.Terminated : null;
    }

    private void SetPaused(bool paused)
    {
        if (_paused == paused) return;
        Volatile.Write(ref _paused, paused);
        _logger.LogInformation("proxy: {State}", paused ? "paused" : "resumed");
    }

    /// <summary>Moves up to a burst of messages one way; true when any moved.</summary>
    private bool Forward(Direction d)
    {
        if (!d.Active) return false;
        bool moved = false;
        for (int i = 0; i < Burst; i++)
        {
            if (d.Pending is null)
            {
                if (!d.From.TryReceive(out var m)) break;
                d.Pending = m;
                Count(d.FromStats, m);
                if (Capture is { } capture && !capture.TrySend(m)) Interlocked.Increment(ref _captureDropped);
            }
            var message = d.Pending;
            long bytes = Size(message);
            if (!d.To.TrySendAndDispose(message, TimeSpan.Zero)) break; // waits, first in line, until the other side has room
            d.Pending = null;
            Interlocked.Increment(ref _stats[d.ToStats + 2]);
            Interlocked.Add(ref _stats[d.ToStats + 3], bytes);
            moved = true;
        }
        return moved;
    }

    private void Count(int side, Message m)
    {
        Interlocked.Increment(ref _stats[side]);
        Interlocked.Add(ref _stats[side + 1], Size(m));
    }

    private static long Size(Message m)
    {
        long n = 0;
        for (int i = 0; i < m.Count; i++) n += m.GetSpan(i).Length;
        return n;
    }

    /// <summary>
    /// What the poller waits for: a direction with a message waiting for room waits for the other
    /// side's output (not the source's input, which would wake at once); paused, only the control socket.
    /// </summary>
    private void Arm()
    {
        PollEvents front = PollEvents.None, back = PollEvents.None;
        if (!_paused)
        {
            if (_forward.Active)
            {
                if (_forward.Pending is null) front |= PollEvents.In;
                else back |= PollEvents.Out;
            }
            if (_backward.Active)
            {
                if (_backward.Pending is null) back |= PollEvents.In;
                else front |= PollEvents.Out;
            }
        }
        Set(Frontend, front);
        Set(Backend, back);
    }

    private void Set(Socket socket, PollEvents events)
    {
        if (events == PollEvents.None) _poller.Remove(socket);
        else _poller.Add(socket, events);
    }

    private static bool CanReceive(SocketType type) => type is not (SocketType.Push or SocketType.Pub);

    private static bool CanSend(SocketType type) => type is not (SocketType.Pull or SocketType.Sub);

    private static string Name(Socket s) => s.Type.ToString().ToUpperInvariant();

    /// <summary>Drops a message still waiting for room (it is the proxy's; the sockets stay open).</summary>
    public void Dispose()
    {
        _forward.Pending?.Dispose();
        _forward.Pending = null;
        _backward.Pending?.Dispose();
        _backward.Pending = null;
        _poller.Dispose();
    }

    /// <summary>One way through the proxy: its sockets, where its counters are, the message waiting for room.</summary>
    private sealed class Direction(Socket from, Socket to, int fromStats, int toStats, bool active)
    {
        public Socket From { get; } = from;
        public Socket To { get; } = to;
        public int FromStats { get; } = fromStats;
        public int ToStats { get; } = toStats;
        public bool Active { get; } = active;
        public Message? Pending { get; set; }
    }
}
