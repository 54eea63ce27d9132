using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Zmq.Cli.Cat;

/// <summary>
/// One run of <c>zmq cat</c>: creates the socket (options, security, monitor), binds and connects,
/// runs the loop of its type (<see cref="CatLoops"/>) and closes it, lingering as asked.
/// </summary>
/// <remarks>
/// Exit codes: 0 success (stdin done and the queue drained, -n reached, SIGINT/SIGTERM); 1 a
/// time-out, undelivered messages when the linger ran out, or a run-time error (address in use,
/// unresolvable host, unreadable file); 2 a usage error. Every error is one stderr line.
/// </remarks>
internal sealed partial class CatRunner
{
    /// <summary>How often blocking waits look at SIGINT/SIGTERM (a message or a line ends a wait at once).</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);

    /// <summary>How long to wait for the monitor's last events (LINGER_EXPIRED) after the socket closed.</summary>
    private static readonly TimeSpan MonitorDrain = TimeSpan.FromSeconds(2);

    private readonly CatSettings _s;
    private readonly CancellationTokenSource _stop = new();
    private readonly CatOutput _out;
    private readonly HashSet<(string, MonitorEventType)> _reported = [];
    private Socket _socket = null!;
    private SocketMonitor? _monitor;
    private Task? _monitorTask;
    private long _lingerDropped;

    private CatRunner(CatSettings settings)
    {
        _s = settings;
        _out = new CatOutput(OpenStdout(), settings.Hex, idAsHex: settings.Type == SocketType.Stream);
    }

    /// <summary>How a loop ended.</summary>
    private enum End
    {
        /// <summary>Its work is done: close lingering as asked (exit 0 unless messages were left undelivered).</summary>
        Done,

        /// <summary>SIGINT/SIGTERM, or stdout closed: close at once, exit 0.</summary>
        Stopped,

        /// <summary>A time-out or an error, already reported: close at once, exit 1.</summary>
        Failed,
    }

    public static int Run(CatSettings settings) => new CatRunner(settings).Run();

    private int Run()
    {
        if (_s.Verbose) Context.Default.LoggerFactory = new StderrLoggerFactory(LogLevel.Debug);
        var signals = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                signals.Add(PosixSignalRegistration.Create(signal, ctx =>
                {
                    ctx.Cancel = true; // we close cleanly and exit 0 ourselves
                    _stop.Cancel();
                }));
            }
            catch (PlatformNotSupportedException)
            {
            }
        }
        IDisposable? auth = null;
        try
        {
            int? setupError = Setup(ref auth);
            if (setupError is { } code) return code;
            var end = _s.Type switch
            {
                SocketType.Push or SocketType.Pub or SocketType.Scatter => SendOnly(),
                SocketType.Pull or SocketType.Sub or SocketType.Gather => ReceiveOnly(),
                SocketType.Req => Requests(),
                SocketType.Rep => Replies(),
                _ => Duplex(),
            };
            return Close(end);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug or a library surprise: still one line, not a stack trace (--verbose logs show more).
            CatOutput.Error($"failed: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            auth?.Dispose();
            foreach (var r in signals) r.Dispose();
        }
    }

    /// <summary>Creates, configures, binds and connects the socket; an exit code when that failed.</summary>
    private int? Setup(ref IDisposable? auth)
    {
        try
        {
            _socket = SocketTypes.Create(_s.Type);
            if (_s.SendHighWatermark is { } snd) _socket.SendHighWatermark = snd;
            if (_s.ReceiveHighWatermark is { } rcv) _socket.ReceiveHighWatermark = rcv;
            if (_s.Identity is { } id) _socket.RoutingId = id;
            if (_socket is RouterSocket router) router.Mandatory = true; // report unroutable lines instead of dropping them silently
            if (_socket is SubSocket sub)
            {
                if (_s.Subscribe.Count == 0) sub.Subscribe(ReadOnlySpan<byte>.Empty);
                foreach (var prefix in _s.Subscribe) sub.Subscribe(prefix);
            }
            auth = CatSecurity.Apply(_socket, _s);
            _monitor = _socket.Monitor(MonitorEventType.HandshakeFailedAuth | MonitorEventType.HandshakeFailedProtocol
                | MonitorEventType.HandshakeFailedNoDetail | MonitorEventType.LingerExpired);
            _monitorTask = Task.Run(WatchMonitor);
            foreach (var entry in _s.Endpoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (_socket is PeerSocket peer && !entry.StartsWith('@'))
                {
                    // PEER connects by default; each connect's routing id goes to stderr, for stdin lines to use
                    string endpoint = entry.TrimStart('>');
                    CatOutput.Error($"connected {endpoint} {peer.ConnectPeer(endpoint)}");
                }
                else _socket.Attach(entry); // the library's CZMQ rules: '@' binds, '>' connects, else the type's default
            }
            return null;
        }
        catch (CatUsageException e)
        {
            return Abort(e.Message, ExitCodes.Usage);
        }
        catch (CatFailureException e)
        {
            return Abort(e.Message, ExitCodes.Failure);
        }
        catch (ZmqException e)
        {
            return Abort(e.Message, e.Error is ZmqError.InvalidEndpoint or ZmqError.InvalidOption ? ExitCodes.Usage : ExitCodes.Failure);
        }
    }

    private int Abort(string message, int code)
    {
        CatOutput.Error(message);
        if (_socket is not null)
        {
            _socket.Linger = TimeSpan.Zero;
            _socket.Dispose();
        }
        return code;
    }

    /// <summary>
    /// stdout as a stream whose writes fail once the reader has gone (<c>| head -1</c>), so that cat
    /// stops as GNU cat does on SIGPIPE; .NET's console stream ignores EPIPE on Unix.
    /// </summary>
    private static Stream OpenStdout()
    {
        if (OperatingSystem.IsWindows()) return Console.OpenStandardOutput();
        try
        {
            var fs = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            if (!fs.CanSeek) return fs; // a pipe or a terminal
            // A regular file: FileStream would write at its own position (pwrite), so that what the
            // shell writes to the same file afterwards overwrites our lines. The console stream
            // writes at the shared offset; a file has no reader that can go away anyway.
            fs.Dispose();
            return Console.OpenStandardOutput();
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return Console.OpenStandardOutput();
        }
    }

    /// <summary>
    /// Closes the socket. After <see cref="End.Done"/> queued messages get the linger (--linger,
    /// default for ever, bounded by --timeout) and a linger that runs out with messages undelivered
    /// is exit 1; SIGINT/SIGTERM during that wait drops them and exits 0.
    /// </summary>
    private int Close(End end)
    {
        _out.Flush();
        if (end != End.Done)
        {
            _socket.Linger = TimeSpan.Zero;
            _socket.Dispose();
            return end == End.Failed ? ExitCodes.Failure : ExitCodes.Ok;
        }
        int linger = _s.LingerMs ?? -1;
        bool boundedByTimeout = false;
        if (_s.Timeout is { } t)
        {
            int ms = (int)Math.Min(int.MaxValue, Math.Ceiling(t.TotalMilliseconds));
            if (linger < 0 || ms < linger)
            {
                linger = ms;
                boundedByTimeout = true;
            }
        }
        _socket.Linger = linger < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(linger);
        var closing = Task.Run(_socket.Dispose);
        try
        {
            closing.Wait(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok; // the user interrupted the wait for delivery
        }
        _monitorTask?.Wait(MonitorDrain);
        long dropped = Interlocked.Read(ref _lingerDropped);
        if (dropped == 0) return ExitCodes.Ok;
        CatOutput.Error(boundedByTimeout
            ? $"timed out: {dropped} message(s) still undelivered after {Seconds(_s.Timeout!.Value)} s (--timeout); dropped"
            : $"{dropped} message(s) still undelivered when --linger {linger} ms ran out; dropped");
        return ExitCodes.Failure;
    }

    /// <summary>Reports failed handshakes (once per endpoint and kind: the socket keeps retrying as libzmq does) and counts what a linger dropped.</summary>
    private async Task WatchMonitor()
    {
        await foreach (var e in _monitor!.ReadAllAsync().ConfigureAwait(false))
        {
            if (e.Type == MonitorEventType.LingerExpired)
            {
                Interlocked.Add(ref _lingerDropped, e.Value);
                continue;
            }
            if (e.Type is not (MonitorEventType.HandshakeFailedAuth or MonitorEventType.HandshakeFailedProtocol or MonitorEventType.HandshakeFailedNoDetail))
                continue;
            if (!_reported.Add((e.Endpoint, e.Type))) continue;
            CatOutput.Error(DescribeHandshakeFailure(e));
        }
    }

    private string DescribeHandshakeFailure(MonitorEvent e)
    {
        bool connected = ConnectEndpoints().Contains(e.Endpoint);
        string where = connected || e.PeerAddress is null ? e.Endpoint : $"{e.PeerAddress} on {e.Endpoint}";
        string reason = e.Reason is { Length: > 0 } r ? ": " + r : "";
        bool curveClient = _s.CurveServerKey is not null, plainClient = _s.PlainUser is not null;
        string what = e.Type switch
        {
            MonitorEventType.HandshakeFailedAuth => $"authentication refused (status {e.Value}){reason}"
                + (plainClient ? " (wrong --plain-user or --plain-password?)" : ""),
            MonitorEventType.HandshakeFailedProtocol => $"protocol error {e.ProtocolError}{reason}"
                + (curveClient ? " (wrong --curve-serverkey?)" : ""),
            _ => $"no detail{reason}"
                + (curveClient ? " (a CURVE server hangs up on a client that has the wrong --curve-serverkey)" : ""),
        };
        return $"handshake with {where} failed: {what}; " + (connected ? "retrying" : "connection dropped");
    }

    /// <summary>The endpoints this socket connects to (CZMQ's rule: '>' connects, '@' binds, else PUB, XPUB, REP, ROUTER and PULL bind).</summary>
    private HashSet<string> ConnectEndpoints()
    {
        bool bindByDefault = _s.Type is SocketType.Pub or SocketType.XPub or SocketType.Rep or SocketType.Router or SocketType.Pull;
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in _s.Endpoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry[0] == '>') set.Add(entry[1..]);
            else if (entry[0] != '@' && !bindByDefault) set.Add(entry);
        }
        return set;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
