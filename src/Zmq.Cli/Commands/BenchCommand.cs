using System.CommandLine;
using Zmq.Cli.Bench;

namespace Zmq.Cli.Commands;

/// <summary>
/// <c>zmq bench thr|lat (--bind ENDPOINT|--connect ENDPOINT|--inproc) --size BYTES --count N [--curve] [--json]</c>:
/// one side of a whole-process benchmark over tcp or ipc (NULL, or CURVE with --curve), or both sides in one process over inproc,
/// with the flags, semantics and JSON line of bench/Zmq.Bench (bench/run.sh runs it and compares
/// with NetMQ and libzmq).
/// </summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "One side of a whole-process benchmark over tcp or ipc, or both sides over inproc (see bench/run.sh).")
    {
        Mode("thr", "Throughput: --bind is the PULL receiver (times first..last of N messages and prints the result); --connect is the PUSH sender (sends N messages, exits once they are delivered); --inproc runs both, each on its own thread."),
        Mode("lat", "Latency: --bind is the REP echo server for N round trips; --connect is the REQ client (times N round trips, prints mean one-way and p50/p99 round trip); --inproc runs both, each on its own thread."),
    };

    private static Command Mode(string mode, string description)
    {
        var bind = new Option<string>("--bind") { Description = "Bind to ENDPOINT (e.g. tcp://127.0.0.1:5555, ipc:///tmp/bench.sock).", HelpName = "ENDPOINT" };
        var connect = new Option<string>("--connect") { Description = "Connect to ENDPOINT.", HelpName = "ENDPOINT" };
        var inproc = new Option<bool>("--inproc") { Description = "Both sides in this process (one Context, a thread per socket) over " + BenchSettings.InprocEndpoint + "; prints what the receiver (thr) or the REQ client (lat) measures." };
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

        var command = new Command(mode, description) { bind, connect, inproc, size, count, curve, json };
        command.Validators.Add(r =>
        {
            bool b = r.GetResult(bind) is not null, c = r.GetResult(connect) is not null, i = r.GetValue(inproc);
            if ((b ? 1 : 0) + (c ? 1 : 0) + (i ? 1 : 0) != 1)
                r.AddError("give exactly one of --bind ENDPOINT, --connect ENDPOINT and --inproc");
            else if (!i && BenchSettings.TransportOf(r.GetValue(bind) ?? r.GetValue(connect)!) == "inproc")
                r.AddError("inproc:// cannot cross processes: use --inproc");
            else if (i && r.GetValue(curve))
                r.AddError("--curve needs tcp or ipc: inproc carries no security mechanism");
        });
        command.SetAction(parse =>
        {
            var isInproc = parse.GetValue(inproc);
            var endpoint = isInproc ? BenchSettings.InprocEndpoint : parse.GetValue(bind) ?? parse.GetValue(connect)!;
            var settings = new BenchSettings(mode, isInproc || parse.GetValue(bind) is not null, endpoint,
                parse.GetValue(size), parse.GetValue(count), parse.GetValue(json), isInproc, parse.GetValue(curve));
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
