using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Zmq.Cli.Monitor;

namespace Zmq.Cli.Commands;

/// <summary>
/// <c>zmq monitor TYPE ENDPOINTS</c>: a socket of TYPE bound/connected as ENDPOINTS says (CZMQ
/// syntax), printing its monitor events and a live count of the messages it receives, until
/// SIGINT/SIGTERM (exit 0), <c>--count</c> messages (exit 0) or <c>--timeout</c> seconds without
/// any event or message (exit 1).
/// </summary>
internal static class MonitorCommand
{
    public static Command Create()
    {
        var type = new Argument<string>("TYPE") { Description = "Socket type: " + string.Join(' ', SocketTypes.Names) + "." };
        type.CompletionSources.Add([.. SocketTypes.Names]);
        var endpoints = new Argument<string>("ENDPOINTS")
        {
            Description = "Comma-separated endpoints, '@' binds and '>' connects (without a prefix pub, xpub, rep, router and pull bind; the others connect), e.g. @tcp://*:5555 or >ipc:///tmp/feed.sock.",
        };
        var timeout = new Option<double?>("--timeout", "-t")
        {
            Description = "Give up (exit 1) after this many seconds without any message or event (connect retries do not count).",
            HelpName = "SECONDS",
        };
        var count = new Option<long?>("--count", "-n") { Description = "Exit 0 once this many messages were received.", HelpName = "N" };
        var subscribe = new Option<string[]>("--subscribe", "-s")
        {
            Description = "sub/xsub: subscribe to this topic prefix (repeatable; default: everything).",
            HelpName = "PREFIX",
            AllowMultipleArgumentsPerToken = false,
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the library's log lines on stderr." };

        var command = new Command("monitor", "Attach a socket and print its monitor events (LISTENING, ACCEPTED, HANDSHAKE_SUCCEEDED, DISCONNECTED, ...) and a live count of the messages it receives; runs until Ctrl-C or SIGTERM.")
        {
            type, endpoints, timeout, count, subscribe, verbose,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(verbose))
                Context.Default.LoggerFactory = new StderrLoggerFactory(LogLevel.Debug);
            return Run(parse.GetValue(type)!, parse.GetValue(endpoints)!, parse.GetValue(timeout), parse.GetValue(count), parse.GetValue(subscribe) ?? []);
        });
        return command;
    }

    private static int Run(string typeName, string endpoints, double? timeout, long? count, string[] subscriptions)
    {
        if (timeout is { } t && t is not (> 0 and <= 86400))
            return Usage($"--timeout {t.ToString(CultureInfo.InvariantCulture)} must be more than 0 and at most 86400 seconds");
        if (count is <= 0)
            return Usage($"--count {count} must be at least 1");
        var entries = endpoints.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
            return Usage($"'{endpoints}' names no endpoint (expected e.g. @tcp://*:5555 or >tcp://localhost:5555)");
        if (entries.FirstOrDefault(e => e is "@" or ">") is { } bare)
            return Usage($"'{bare}' in '{endpoints}' is a prefix without an endpoint (expected e.g. {bare}tcp://127.0.0.1:5555)");
        if (!SocketTypes.ByName.TryGetValue(typeName, out var socketType))
            return Usage($"unknown socket type '{typeName}' (expected one of: {string.Join(", ", SocketTypes.Names)})");
        using var socket = SocketTypes.Create(socketType);
        if (count is not null && !SocketTypes.Receives(socket.Type))
            return Usage($"--count: a {typeName} socket receives no messages to count");
        if (subscriptions.Length > 0 && socket.Type is not (SocketType.Sub or SocketType.XSub))
            return Usage($"--subscribe '{subscriptions[0]}': only sub and xsub sockets subscribe");

        socket.Linger = TimeSpan.FromMilliseconds(200);
        using var monitor = socket.Monitor(); // before Attach, so LISTENING and CONNECT_DELAYED are seen
        try
        {
            socket.Attach(endpoints);
        }
        catch (ZmqException e) when (e.Error == ZmqError.InvalidEndpoint)
        {
            return Usage(e.Message);
        }
        catch (ZmqException e)
        {
            Console.Error.WriteLine("zmq monitor: " + e.Message);
            return ExitCodes.Failure;
        }
        Subscribe(socket, subscriptions);

        using var stop = new CancellationTokenSource();
        using var sigint = OnSignal(PosixSignal.SIGINT, stop);
        using var sigterm = OnSignal(PosixSignal.SIGTERM, stop);
        return new MonitorSession(socket, monitor, count, timeout is { } s ? TimeSpan.FromSeconds(s) : null).Run(stop.Token);
    }

    /// <summary>SUB subscribes; XSUB sends the subscription message (0x01 + prefix); both default to everything.</summary>
    private static void Subscribe(Socket socket, string[] prefixes)
    {
        if (prefixes.Length == 0) prefixes = [""];
        foreach (var prefix in prefixes)
        {
            if (socket is SubSocket sub) sub.Subscribe(prefix);
            else if (socket is XSubSocket xsub) xsub.Send([1, .. System.Text.Encoding.UTF8.GetBytes(prefix)]);
        }
    }

    private static PosixSignalRegistration? OnSignal(PosixSignal signal, CancellationTokenSource stop)
    {
        try
        {
            return PosixSignalRegistration.Create(signal, c =>
            {
                c.Cancel = true; // end cleanly: the last count, then exit 0
                stop.Cancel();
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine("zmq monitor: " + message);
        return ExitCodes.Usage;
    }
}
