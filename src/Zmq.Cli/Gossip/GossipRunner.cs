using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zmq.Cli.Cat;

namespace Zmq.Cli.Gossip;

/// <summary>What <c>zmq gossip</c> was told.</summary>
internal sealed record GossipSettings(IReadOnlyList<(bool Bind, string Endpoint)> Endpoints, IReadOnlyList<(string Key, string Value)> Publish, int? Count, TimeSpan? Timeout, bool Verbose);

/// <summary>Runs <c>zmq gossip</c>: a <see cref="Toolkit.Gossip"/> node, printing what it learns until -n, --timeout or a signal.</summary>
internal static class GossipRunner
{
    public static int Run(GossipSettings s)
    {
        using var stop = new CancellationTokenSource();
        var signals = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                signals.Add(PosixSignalRegistration.Create(signal, ctx =>
                {
                    ctx.Cancel = true;
                    stop.Cancel();
                }));
            }
            catch (PlatformNotSupportedException)
            {
            }
        }
        ILoggerFactory logs = s.Verbose ? new StderrLoggerFactory(LogLevel.Debug) : NullLoggerFactory.Instance;
        using var context = new Context { LoggerFactory = logs };
        try
        {
            using var node = new Toolkit.Gossip(context, logs.CreateLogger("Zmq.Gossip"));
            foreach (var (bind, endpoint) in s.Endpoints)
            {
                if (bind) node.Bind(endpoint);
                else node.Connect(endpoint);
            }
            foreach (var (key, value) in s.Publish) node.Publish(key, value);
            int printed = 0;
            var stdout = Console.OpenStandardOutput();
            while (!stop.IsCancellationRequested)
            {
                var wait = s.Timeout ?? TimeSpan.FromMilliseconds(200);
                var deadline = DateTime.UtcNow + wait;
                bool got = false;
                GossipTupleLine? line = null;
                while (!stop.IsCancellationRequested && DateTime.UtcNow < deadline)
                {
                    var slice = TimeSpan.FromMilliseconds(Math.Min(100, Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds)));
                    if (node.TryReceive(slice, out var t))
                    {
                        line = new GossipTupleLine(t.Key, t.Value);
                        got = true;
                        break;
                    }
                }
                if (stop.IsCancellationRequested) break;
                if (!got)
                {
                    if (s.Timeout is { } idle)
                    {
                        Console.Error.WriteLine($"zmq gossip: timed out: nothing new for {idle.TotalSeconds:0.###} s (--timeout)");
                        return ExitCodes.Failure;
                    }
                    continue;
                }
                stdout.Write(LineCodec.FormatLine([Encoding.UTF8.GetBytes(line!.Key), Encoding.UTF8.GetBytes(line.Value)]));
                stdout.Write("\n"u8);
                stdout.Flush();
                if (s.Count is { } n && ++printed >= n) return ExitCodes.Ok;
            }
            return ExitCodes.Ok;
        }
        catch (ZmqException e)
        {
            Console.Error.WriteLine("zmq gossip: " + e.Message);
            return e.Error is ZmqError.InvalidEndpoint ? ExitCodes.Usage : ExitCodes.Failure;
        }
        finally
        {
            foreach (var r in signals) r.Dispose();
        }
    }

    private sealed record GossipTupleLine(string Key, string Value);
}
