using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Zmq.Toolkit;

// zmq-beacon-peer class|actor
// stdin, one command a line (payloads and prefixes in lowercase hex, "" for empty):
//   CONFIGURE port [interface]   -> HOST<TAB>address   ("" when it failed)
//   PUBLISH hex interval-ms | SILENCE | SUBSCRIBE hex | UNSUBSCRIBE | VERBOSE
//   SEND address port hex        a raw UDP datagram from a socket of its own (broadcast allowed)
//   SENDN address port length    a raw datagram of LENGTH bytes 'x'
//   QUIT (or end of input)
// stdout: BEACON<TAB>address<TAB>hex for each beacon received.
string mode = args.Length > 0 ? args[0] : "class";
var lines = new BlockingCollection<string>();
var reader = new Thread(() =>
{
    while (Console.In.ReadLine() is { } line) lines.Add(line);
    lines.CompleteAdding();
}) { IsBackground = true };
reader.Start();

var logger = new StderrLogger();
using var cls = mode == "class" ? new Beacon(logger) : null;
using var actor = mode == "actor" ? new BeaconActor(logger: logger) : null;
while (true)
{
    BeaconMessage? heard = null;
    bool got = cls is not null ? cls.TryReceive(TimeSpan.FromMilliseconds(20), out heard) : actor!.TryReceive(TimeSpan.FromMilliseconds(20), out heard);
    if (got) Out($"BEACON\t{heard!.Address}\t{Convert.ToHexStringLower(heard.Payload.Span)}");
    while (lines.TryTake(out var line))
        if (!Handle(line.Split(' '))) return 0;
    if (lines.IsCompleted) return 0;
}

bool Handle(string[] f)
{
    string Arg(int i) => i < f.Length ? f[i] : "";
    switch (f[0])
    {
        case "CONFIGURE":
            string? iface = f.Length > 2 ? f[2] : null;
            string host;
            if (cls is not null)
            {
                try
                {
                    host = cls.Configure(int.Parse(Arg(1), CultureInfo.InvariantCulture), iface);
                }
                catch (Exception e) when (e is InvalidOperationException or SocketException)
                {
                    Console.Error.WriteLine("configure failed: " + e.Message);
                    host = "";
                }
            }
            else host = actor!.Configure(int.Parse(Arg(1), CultureInfo.InvariantCulture), iface);
            Out("HOST\t" + host);
            break;
        case "PUBLISH":
            var interval = TimeSpan.FromMilliseconds(int.Parse(Arg(2), CultureInfo.InvariantCulture));
            if (cls is not null) cls.Publish(Convert.FromHexString(Arg(1)), interval);
            else actor!.Publish(Convert.FromHexString(Arg(1)), interval);
            break;
        case "SILENCE":
            if (cls is not null) cls.Silence(); else actor!.Silence();
            break;
        case "SUBSCRIBE":
            if (cls is not null) cls.Subscribe(Convert.FromHexString(Arg(1))); else actor!.Subscribe(Convert.FromHexString(Arg(1)));
            break;
        case "UNSUBSCRIBE":
            if (cls is not null) cls.Unsubscribe(); else actor!.Unsubscribe();
            break;
        case "VERBOSE":
            if (cls is not null) cls.Verbose = true; else actor!.Verbose();
            break;
        case "SEND":
        case "SENDN":
            var to = new IPEndPoint(IPAddress.Parse(Arg(1)), int.Parse(Arg(2), CultureInfo.InvariantCulture));
            using (var udp = new System.Net.Sockets.Socket(to.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true })
            {
                byte[] data = f[0] == "SEND" ? Convert.FromHexString(Arg(3)) : Enumerable.Repeat((byte)'x', int.Parse(Arg(3), CultureInfo.InvariantCulture)).ToArray();
                udp.SendTo(data, to);
            }
            Out("SENT");
            break;
        case "QUIT":
            return false;
        default:
            Console.Error.WriteLine("unknown command: " + f[0]);
            break;
    }
    return true;
}

static void Out(string line)
{
    Console.Out.WriteLine(line);
    Console.Out.Flush();
}

/// <summary>Every log line on stderr (the tests show it when they fail).</summary>
internal sealed class StderrLogger : Microsoft.Extensions.Logging.ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Console.Error.WriteLine($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
}
