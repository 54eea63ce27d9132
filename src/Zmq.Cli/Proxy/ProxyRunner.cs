using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zmq.Cli.Cat;
using Zmq.Cli.Commands;

namespace Zmq.Cli.Proxy;

/// <summary>
/// Runs <c>zmq proxy</c>: each side's socket in a context of its own (so each has its own ZAP
/// handler: a PLAIN frontend's users never judge the CURVE backend's peers), the toolkit's
/// <see cref="Toolkit.Proxy"/> on this thread, SIGINT/SIGTERM ending it with exit 0 and linger 0.
/// </summary>
internal sealed class ProxyRunner : IDisposable
{
    private readonly ProxySettings _s;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _owned = [];
    private readonly ILoggerFactory _logs;

    private ProxyRunner(ProxySettings settings)
    {
        _s = settings;
        _logs = settings.Verbose ? new StderrLoggerFactory(LogLevel.Debug) : NullLoggerFactory.Instance;
    }

    public static int Run(ProxySettings settings)
    {
        using var runner = new ProxyRunner(settings);
        return runner.Run();
    }

    private int Run()
    {
        var signals = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                signals.Add(PosixSignalRegistration.Create(signal, ctx =>
                {
                    ctx.Cancel = true; // we close and exit 0 ourselves
                    _stop.Cancel();
                }));
            }
            catch (PlatformNotSupportedException)
            {
            }
        }
        try
        {
            Socket front, back;
            PushSocket? capture;
            try
            {
                front = Open(_s.Frontend);
                back = Open(_s.Backend);
                capture = _s.Capture is { } c ? OpenCapture(c) : null;
            }
            catch (SideException e)
            {
                return Fail(e.Message, e.Code);
            }
            using var proxy = new Toolkit.Proxy(front, back, capture, _logs.CreateLogger("Zmq.Proxy"));
            if (_s.Verbose) Console.Error.WriteLine($"{"zmq proxy: "}{Describe(_s.Frontend)} <-> {Describe(_s.Backend)}{(_s.Capture is { } cap ? ", capture " + cap : "")}");
            var exit = proxy.Run(cancellationToken: _stop.Token);
            return exit switch
            {
                Toolkit.ProxyExit.SocketClosed => Fail("a socket was closed under the proxy", ExitCodes.Failure),
                _ => ExitCodes.Ok,
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Fail($"failed: {e.GetType().Name}: {e.Message}", ExitCodes.Failure);
        }
        finally
        {
            foreach (var r in signals) r.Dispose();
        }
    }

    private static string Describe(ProxySide side) => $"{side.Name} {side.Settings.Type.ToString().ToUpperInvariant()} {side.Settings.Endpoints}";

    /// <summary>Creates a side's socket in a context of its own: options, security, then its endpoints.</summary>
    private Socket Open(ProxySide side)
    {
        var s = side.Settings;
        var context = Own(new Context { LoggerFactory = _logs });
        var socket = Own(Socket.Create(s.Type, context: context));
        socket.Linger = TimeSpan.Zero; // as cat on a signal: whatever is still queued at the end is dropped
        try
        {
            if (s.SendHighWatermark is { } snd) socket.SendHighWatermark = snd;
            if (s.ReceiveHighWatermark is { } rcv) socket.ReceiveHighWatermark = rcv;
            if (socket is SubSocket sub and not XSubSocket) sub.Subscribe(ReadOnlySpan<byte>.Empty);
            if (CatSecurity.Apply(socket, s) is { } auth) _owned.Add(auth);
            foreach (var entry in s.Endpoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                socket.Attach(entry);
            return socket;
        }
        catch (CatUsageException e)
        {
            throw new SideException(ProxyCommand.Prefixed(e.Message, side.Name), ExitCodes.Usage);
        }
        catch (CatFailureException e)
        {
            throw new SideException(ProxyCommand.Prefixed(e.Message, side.Name), ExitCodes.Failure);
        }
        catch (ZmqException e)
        {
            throw new SideException($"{side.Name}: {e.Message}", e.Error is ZmqError.InvalidEndpoint or ZmqError.InvalidOption ? ExitCodes.Usage : ExitCodes.Failure);
        }
    }

    private PushSocket OpenCapture(string endpoint)
    {
        var context = Own(new Context { LoggerFactory = _logs });
        var capture = Own(new PushSocket(context: context) { Linger = TimeSpan.Zero });
        try
        {
            capture.Attach(endpoint.StartsWith('@') || endpoint.StartsWith('>') ? endpoint : ">" + endpoint);
            return capture;
        }
        catch (ZmqException e)
        {
            throw new SideException($"--capture: {e.Message}", e.Error is ZmqError.InvalidEndpoint ? ExitCodes.Usage : ExitCodes.Failure);
        }
    }

    private T Own<T>(T d) where T : IDisposable
    {
        _owned.Add(d);
        return d;
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine("zmq proxy: " + message);
        return code;
    }

    /// <summary>Sockets first, then their contexts (each context after the sockets made in it).</summary>
    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                _owned[i].Dispose();
            }
            catch (Exception)
            {
                // closing at exit: nothing left to tell
            }
        }
        _stop.Dispose();
    }

    private sealed class SideException(string message, int code) : Exception(message)
    {
        public int Code { get; } = code;
    }
}
