using System.CommandLine;
using Zmq.Cli.Bench;

namespace Zmq.Cli.Commands;

/// <summary>
/// <c>zmq bench thr|lat [--transport tcp|ipc|inproc] [--bind ENDPOINT|--connect ENDPOINT] --size BYTES --count N [--curve] [--json]</c>
/// (thr also <c>[--recv-adapter enumerable|channel|stream] [--send-adapter channel|stream] [--warmup N]</c>, Zmq.Toolkit's adapters):
/// both sides in this process over the transport (default tcp), or with --bind/--connect one side
/// of a two-process run over tcp or ipc (NULL, or CURVE with --curve), with the flags, semantics and
/// JSON line of bench/Zmq.Bench (bench/run.sh runs it and compares with NetMQ and libzmq).
/// </summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "Throughput or latency: both sides in this process (default), or one side of a two-process run with --bind/--connect (see bench/run.sh).")
    {
        Mode("thr", "Throughput: --bind is the PULL receiver (times first..last of N messages and prints the result); --connect is the PUSH sender (sends N messages, exits once they are delivered); without them both run here, each on its own thread."),
        Mode("lat", "Latency: --bind is the REP echo server for N round trips; --connect is the REQ client (times N round trips, prints mean one-way and p50/p99 round trip); without them both run here, each on its own thread."),
    };

    private static Command Mode(string mode, string description)
    {
        var bind = new Option<string>("--bind") { Description = "Bind to ENDPOINT (e.g. tcp://127.0.0.1:5555, ipc:///tmp/bench.sock).", HelpName = "ENDPOINT" };
        var connect = new Option<string>("--connect") { Description = "Connect to ENDPOINT.", HelpName = "ENDPOINT" };
        var transport = new Option<string>("--transport") { Description = "For a one-process run (no --bind/--connect): tcp (127.0.0.1, the default), ipc or inproc.", HelpName = "tcp|ipc|inproc" };
        var inproc = new Option<bool>("--inproc") { Description = "Same as --transport inproc (both sides in this process over " + BenchSettings.InprocEndpoint + ")." };
        var size = new Option<int>("--size") { Description = "Message size in bytes.", HelpName = "BYTES", Required = true };
        var count = new Option<int>("--count") { Description = "Messages (thr) or round trips (lat).", HelpName = "N", Required = true };
        var curve = new Option<bool>("--curve") { Description = "CURVE instead of NULL (tcp and ipc only): --bind is the CURVE server, with the fixed benchmark key pair that bench/Zmq.Bench's servers use too (public test data); --connect a CURVE client of it with a fresh key pair." };
        var json = new Option<bool>("--json") { Description = "End with one JSON line (on the printing side: thr --bind, lat --connect, --inproc)." };
        size.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--size must be 0 or more");
        });
        count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--count must be 1 or more");
        });

        var command = new Command(mode, description) { transport, bind, connect, inproc, size, count, curve, json };
        var recvAdapter = new Option<string>("--recv-adapter") { Description = "thr: the receiving side reads through a Zmq.Toolkit adapter instead of Receive: " + string.Join(", ", AdapterBench.ReceiveAdapters) + " (see bench/adapters.sh).", HelpName = string.Join("|", AdapterBench.ReceiveAdapters) };
        var sendAdapter = new Option<string>("--send-adapter") { Description = "thr: the sending side writes through a Zmq.Toolkit adapter instead of SendAndDispose: " + string.Join(", ", AdapterBench.SendAdapters) + ".", HelpName = string.Join("|", AdapterBench.SendAdapters) };
        var warmup = new Option<int>("--warmup") { Description = "thr: messages sent and received before the timed --count ones (the sender then pauses 200 ms), so that the timed run starts with compiled code; give both sides the same N (default 0).", HelpName = "N" };
        warmup.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--warmup must be 0 or more");
        });
        if (mode == "thr")
        {
            command.Add(recvAdapter);
            command.Add(sendAdapter);
            command.Add(warmup);
            command.Validators.Add(r =>
            {
                bool b = r.GetResult(bind) is not null, c = r.GetResult(connect) is not null;
                if (r.GetValue(recvAdapter) is { } ra && !AdapterBench.ReceiveAdapters.Contains(ra))
                    r.AddError($"--recv-adapter '{ra}' is not one of {string.Join(", ", AdapterBench.ReceiveAdapters)}");
                else if (r.GetValue(sendAdapter) is { } sa && !AdapterBench.SendAdapters.Contains(sa))
                    r.AddError($"--send-adapter '{sa}' is not one of {string.Join(", ", AdapterBench.SendAdapters)}");
                else if (c && r.GetResult(recvAdapter) is not null)
                    r.AddError("--recv-adapter is for the receiving side (--bind, or a one-process run), not --connect");
                else if (b && r.GetResult(sendAdapter) is not null)
                    r.AddError("--send-adapter is for the sending side (--connect, or a one-process run), not --bind");
                else if ((r.GetValue(recvAdapter) == "stream" || r.GetValue(sendAdapter) == "stream") && r.GetValue(size) < 1)
                    r.AddError("the stream adapter needs --size 1 or more (a stream skips empty frames)");
            });
        }
        command.Validators.Add(r =>
        {
            bool b = r.GetResult(bind) is not null, c = r.GetResult(connect) is not null;
            bool local = !b && !c;
            string? t = r.GetValue(inproc) ? "inproc" : r.GetValue(transport);
            if (r.GetValue(transport) is { } named && named is not ("tcp" or "ipc" or "inproc"))
                r.AddError($"--transport '{named}' is not one of tcp, ipc, inproc");
            else if (r.GetValue(inproc) && r.GetValue(transport) is { } other && other != "inproc")
                r.AddError($"--inproc contradicts --transport {other}");
            else if (b && c)
                r.AddError("give one of --bind ENDPOINT and --connect ENDPOINT (or neither, for both sides in this process)");
            else if (!local && t is not null)
                r.AddError("--transport and --inproc are for one-process runs; with --bind/--connect the endpoint names the transport");
            else if (!local && BenchSettings.TransportOf(r.GetValue(bind) ?? r.GetValue(connect)!) == "inproc")
                r.AddError("inproc:// cannot cross processes: drop --bind/--connect and use --transport inproc");
            else if (r.GetValue(curve) && (local ? t ?? "tcp" : BenchSettings.TransportOf(r.GetValue(bind) ?? r.GetValue(connect)!)) == "inproc")
                r.AddError("--curve needs tcp or ipc: inproc carries no security mechanism");
        });
        command.SetAction(parse =>
        {
            bool local = parse.GetValue(bind) is null && parse.GetValue(connect) is null;
            string t = parse.GetValue(inproc) ? "inproc" : parse.GetValue(transport) ?? "tcp";
            var endpoint = local ? BenchSettings.LocalEndpoint(t) : parse.GetValue(bind) ?? parse.GetValue(connect)!;
            var settings = new BenchSettings(mode, local || parse.GetValue(bind) is not null, endpoint,
                parse.GetValue(size), parse.GetValue(count), parse.GetValue(json), local, parse.GetValue(curve),
                mode == "thr" ? parse.GetValue(recvAdapter) : null, mode == "thr" ? parse.GetValue(sendAdapter) : null,
                mode == "thr" ? parse.GetValue(warmup) : 0);
            try
            {
                ZmqBench.Run(settings);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is ZmqException or InvalidDataException)
            {
                Console.Error.WriteLine($"zmq bench {mode} failed: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
