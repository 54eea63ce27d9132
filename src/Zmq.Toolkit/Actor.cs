using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zmq.Toolkit;

/// <summary>
/// CZMQ's zactor: a handler running on its own thread, talking to its owner over a PAIR pipe.
/// The handler gets its end of the pipe, signals once it is ready (<see cref="Signals.Signal"/>,
/// zsock_signal (pipe, 0)), serves commands, and returns when it receives <c>$TERM</c>. The
/// constructor returns once the handler signalled ready; <see cref="Dispose"/> sends <c>$TERM</c>
/// and waits for the handler to end, at most <see cref="TerminateTimeout"/> (a handler that does
/// not end by then is logged and left running as a background thread: .NET cannot abort threads).
/// An exception thrown by the handler is logged and thrown again by the owner's next call on the
/// actor (and by the constructor, if it came before the ready signal).
/// </summary>
public sealed class Actor : IDisposable
{
    /// <summary>The command that asks a handler to end (CZMQ's).</summary>
    public const string Term = "$TERM";

    private readonly PairSocket _pipe;
    private readonly PairSocket _handlerPipe;
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private ExceptionDispatchInfo? _fault;
    private static readonly byte[] EndSignal = BitConverter.IsLittleEndian ? BitConverter.GetBytes(Signals.Base) : [.. BitConverter.GetBytes(Signals.Base).Reverse()];
    private int _disposed;

    /// <summary>Starts <paramref name="handler"/> on its own thread and waits for its ready signal.</summary>
    /// <param name="handler">Runs with the handler's end of the pipe; must signal once ready and return on <c>$TERM</c>.</param>
    /// <param name="context">The context of the pipe's sockets (the default one when null).</param>
    /// <param name="logger">Where a handler's failure or a handler that will not end is logged.</param>
    /// <param name="readyTimeout">How long to wait for the ready signal (default: 10 s).</param>
    /// <exception cref="TimeoutException">The handler did not signal ready in time (it is told to end).</exception>
    public Actor(Action<PairSocket> handler, Context? context = null, ILogger? logger = null, TimeSpan? readyTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _logger = logger ?? NullLogger.Instance;
        string endpoint = $"inproc://zactor-{Guid.NewGuid():N}";
        _pipe = new PairSocket(context: context) { Linger = TimeSpan.Zero };
        _pipe.Bind(endpoint);
        _handlerPipe = new PairSocket(context: context) { Linger = TimeSpan.Zero };
        _handlerPipe.Connect(endpoint);
        _thread = new Thread(() => Run(handler)) { IsBackground = true, Name = "zactor" };
        _thread.Start();
        try
        {
            _pipe.WaitSignal(readyTimeout ?? TimeSpan.FromSeconds(10));
        }
        catch (ZmqTimeoutException)
        {
            Dispose();
            throw new TimeoutException("the actor's handler did not signal ready");
        }
        if (Volatile.Read(ref _fault) is { } fault)
        {
            Dispose(); // it failed before (or instead of) being ready
            fault.Throw();
        }
    }

    /// <summary>How long <see cref="Dispose"/> waits for the handler to end after <c>$TERM</c> (default 5 s).</summary>
    public TimeSpan TerminateTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The owner's end of the pipe (send commands, receive replies).</summary>
    /// <exception cref="Exception">The handler's exception, if it failed.</exception>
    public PairSocket Pipe
    {
        get
        {
            ThrowIfFaulted();
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return _pipe;
        }
    }

    /// <summary>Sends a one-frame string command to the handler.</summary>
    public void Send(string command) => Pipe.SendString(command);

    /// <summary>Receives a string from the handler within <paramref name="timeout"/>.</summary>
    /// <exception cref="ZmqTimeoutException">Nothing within <paramref name="timeout"/>.</exception>
    public string Receive(TimeSpan timeout)
    {
        var pipe = Pipe;
        if (!pipe.TryReceive(timeout, out var m))
        {
            ThrowIfFaulted();
            throw new ZmqTimeoutException($"the actor sent nothing within {timeout.TotalMilliseconds:0} ms", SocketType.Pair);
        }
        using (m)
        {
            if (Signals.IsSignal(m, out _)) ThrowIfFaulted(); // the end signal of a failed handler (the failure is recorded before it is sent)
            return m.GetString(0);
        }
    }

    /// <summary>True once the handler has returned or failed.</summary>
    public bool HasEnded => !_thread.IsAlive;

    private void Run(Action<PairSocket> handler)
    {
        try
        {
            handler(_handlerPipe);
        }
        catch (Exception e)
        {
            _fault = ExceptionDispatchInfo.Capture(e);
            _logger.LogError(e, "actor handler failed");
        }
        finally
        {
            try
            {
                // As CZMQ, the end is signalled (the owner learns of a failure by it); never blocking:
                // the owner may be gone.
                _handlerPipe.TrySend(EndSignal, TimeSpan.Zero);
            }
            catch (Exception)
            {
                // the owner's side is gone
            }
            if (Volatile.Read(ref _disposed) != 0) _handlerPipe.Dispose(); // left running past Dispose: close our end now
        }
    }

    private void ThrowIfFaulted() => Volatile.Read(ref _fault)?.Throw();

    /// <summary>Sends <c>$TERM</c>, waits for the handler to end (at most <see cref="TerminateTimeout"/>), closes the pipe.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            if (_thread.IsAlive)
            {
                _pipe.TrySend(System.Text.Encoding.UTF8.GetBytes(Term), TerminateTimeout);
                if (!_thread.Join(TerminateTimeout))
                    _logger.LogWarning("actor handler did not end within {Timeout} ms of $TERM; left running in the background", (int)TerminateTimeout.TotalMilliseconds);
            }
        }
        finally
        {
            _pipe.Dispose();
            if (!_thread.IsAlive) _handlerPipe.Dispose();
        }
    }
}
