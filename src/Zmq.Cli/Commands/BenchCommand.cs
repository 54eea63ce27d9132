using System.CommandLine;
using Zmq.Cli.Bench;

namespace Zmq.Cli.Commands;

/// <summary>
/// <c>zmq bench thr|lat (--bind|--connect) ENDPOINT --size BYTES --count N [--json]</c>: one side
/// of a whole-process benchmark, with the flags, semantics and JSON line of bench/Zmq.Bench
/// (bench/run.sh runs both sides and compares with NetMQ and libzmq).
/// </summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "One side of a whole-process benchmark over tcp (see bench/run.sh).")
    {
        Mode("thr", "Throughput: --bind is the PULL receiver (times first..last of N messages and prints the result); --connect is the PUSH sender (sends N messages, exits once they are delivered)."),
        Mode("lat", "Latency: --bind is the REP echo server for N round trips; --connect is the REQ client (times N round trips, prints mean one-way and p50/p99 round trip)."),
    };

    private static Command Mode(string mode, string description)
    {
        var bind = new Option<string>("--bind") { Description = "Bind to ENDPOINT (e.g. tcp://127.0.0.1:5555).", HelpName = "ENDPOINT" };
        var connect = new Option<string>("--connect") { Description = "Connect to ENDPOINT.", HelpName = "ENDPOINT" };
        var size = new Option<int>("--size") { Description = "Message size in bytes.", HelpName = "BYTES", Required = true };
        var count = new Option<int>("--count") { Description = "Messages (thr) or round trips (lat).", HelpName = "N", Required = true };
        var json = new Option<bool>("--json") { Description = "End with one JSON line (on the printing side: thr --bind, lat --connect)." };
        size.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--size must be 0 or more");
        });
        count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--count must be 1 or more");
        });

        var command = new Command(mode, description) { bind, connect, size, count, json };
        command.Validators.Add(r =>
        {
            bool b = r.GetResult(bind) is not null, c = r.GetResult(connect) is not null;
            if (b == c) r.AddError("give exactly one of --bind ENDPOINT and --connect ENDPOINT");
        });
        command.SetAction(parse =>
        {
            var endpoint = parse.GetValue(bind) ?? parse.GetValue(connect)!;
            var settings = new BenchSettings(mode, parse.GetValue(bind) is not null, endpoint,
                parse.GetValue(size), parse.GetValue(count), parse.GetValue(json));
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
