using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Zmq.Cli.Cat;
using Zmq.Toolkit;

namespace Zmq.Cli.Beacons;

/// <summary>
/// Runs <c>zmq beacon announce</c> and <c>listen</c> over the toolkit's <see cref="Beacon"/>.
/// Exit codes: 0 done (duration over, -n beacons heard, SIGINT/SIGTERM, stdout closed); 1 no
/// usable interface, the port could not be opened, or --timeout passed without a beacon; every
/// error is one stderr line.
/// </summary>
internal static class BeaconRunner
{
    private const string Prefix = "zmq beacon: ";

    /// <summary>How often a wait looks at SIGINT/SIGTERM.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);

    public static int Announce(BeaconSettings s) => Run(s, (beacon, stop) =>
    {
        beacon.Publish(s.Payload, s.Interval ?? TimeSpan.Zero);
        if (s.Duration is { } d) stop.CancelAfter(d);
        stop.Token.WaitHandle.WaitOne();
        beacon.Silence();
        return ExitCodes.Ok;
    });

    public static int Listen(BeaconSettings s) => Run(s, (beacon, stop) =>
    {
        using var stdout = Console.OpenStandardOutput();
        var line = new List<byte>(300);
        int heard = 0;
        long last = Environment.TickCount64;
        while (!stop.IsCancellationRequested)
        {
            var wait = Slice;
            if (s.Timeout is { } timeout)
            {
                var left = TimeSpan.FromMilliseconds(last + (long)timeout.TotalMilliseconds - Environment.TickCount64);
                if (left <= TimeSpan.Zero)
                {
                    Error($"timed out: no beacon for {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (--timeout)");
                    return ExitCodes.Failure;
                }
                if (left < wait) wait = left;
            }
            if (!beacon.TryReceive(wait, out var m)) continue;
            last = Environment.TickCount64;
            line.Clear();
            LineCodec.AppendFrame(line, System.Text.Encoding.UTF8.GetBytes(m.Address), hex: false);
            line.Add((byte)'\t');
            LineCodec.AppendFrame(line, m.Payload.Span, hex: false);
            line.Add((byte)'\n');
            try
            {
                stdout.Write(CollectionsMarshal.AsSpan(line));
                stdout.Flush();
            }
            catch (IOException)
            {
                return ExitCodes.Ok; // the reader went away (e.g. | head -1)
            }
            if (++heard == s.Count) return ExitCodes.Ok;
        }
        return ExitCodes.Ok;
    }, subscribe: true);

    private static int Run(BeaconSettings s, Func<Beacon, CancellationTokenSource, int> body, bool subscribe = false)
    {
        using var stop = new CancellationTokenSource();
        var signals = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                signals.Add(PosixSignalRegistration.Create(signal, ctx =>
                {
                    ctx.Cancel = true; // we close and exit 0 ourselves
                    stop.Cancel();
                }));
            }
            catch (PlatformNotSupportedException)
            {
            }
        }
        ILoggerFactory? logs = s.Verbose ? new StderrLoggerFactory(LogLevel.Debug) : null;
        try
        {
            using var beacon = new Beacon(logs?.CreateLogger("Zmq.Beacon")) { Verbose = s.Verbose };
            if (subscribe) beacon.Subscribe(s.Prefix);
            try
            {
                beacon.Configure(s.Port, s.Interface, s.IPv6);
            }
            catch (Exception e) when (e is InvalidOperationException or SocketException)
            {
                Error(e is SocketException ? $"cannot open UDP port {s.Port}: {e.Message}" : e.Message);
                return ExitCodes.Failure;
            }
            return body(beacon, stop);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Error($"failed: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            foreach (var r in signals) r.Dispose();
        }
    }

    private static void Error(string message) => Console.Error.WriteLine(Prefix + message);
}
