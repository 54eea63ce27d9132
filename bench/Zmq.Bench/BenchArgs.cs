using Zmq.BenchShared;
namespace Zmq.Bench;

/// <summary>
/// Command line: <c>Zmq.Bench (netmq|libzmq) (thr|lat) (--bind ENDPOINT|--connect ENDPOINT|--inproc) --size B --count N [--curve] [--json]</c>.
/// </summary>
/// <param name="Inproc">Both sockets in this process (one context), each on its own thread, over <see cref="InprocEndpoint"/>.</param>
/// <param name="Curve">CURVE instead of NULL (tcp and ipc only): the bind side is the server, with <see cref="BenchCurveKeys"/>; the connect side a client with a fresh key pair.</param>
internal sealed record BenchArgs(string Lib, string Mode, bool Bind, string Endpoint, int Size, int Count, bool Json, bool Inproc = false, bool Curve = false)
{
    /// <summary>The endpoint of --inproc runs.</summary>
    public const string InprocEndpoint = "inproc://zmq-bench";

    public const string Usage =
        "usage: Zmq.Bench (netmq|libzmq) (thr|lat) (--bind ENDPOINT|--connect ENDPOINT|--inproc) --size BYTES --count N [--curve] [--json]\n" +
        "  thr --bind    PULL receiver: times first..last of N messages, prints the result\n" +
        "  thr --connect PUSH sender: sends N messages, waits until they are written (linger -1)\n" +
        "  lat --bind    REP echo server for N round trips\n" +
        "  lat --connect REQ client: times N round trips, prints mean one-way and p50/p99 round trip\n" +
        "  --inproc      both sides in this process over " + InprocEndpoint + " (one context, one thread\n" +
        "                per socket); prints what the receiver (thr) or the REQ client (lat) measures\n" +
        "  --curve       CURVE instead of NULL (tcp, ipc): the bind side is the CURVE server with the fixed\n" +
        "                benchmark key pair (public test data, the same in zmq bench), the connect side a\n" +
        "                CURVE client of it with a fresh key pair\n" +
        "  --json        the last line printed is one JSON object (printing side only)\n" +
        "  ENDPOINT      tcp://HOST:PORT or ipc://PATH (NetMQ's ipc is TCP on 127.0.0.1, a port derived from PATH)";

    /// <summary>The transport named in the JSON line: the endpoint's scheme (tcp, ipc, inproc).</summary>
    public string Transport => TransportOf(Endpoint);

    public static string TransportOf(string endpoint) => BenchRun.TransportOf(endpoint);

    /// <summary>The fields of this run's result line.</summary>
    public BenchRun Run => new(Lib, Transport, Size, Count, Json, Curve);

    /// <summary>Parses the arguments; null (after writing why to stderr) when they are wrong.</summary>
    public static BenchArgs? Parse(string[] args)
    {
        if (args.Length < 2)
            return Fail("missing library and mode");
        var lib = args[0];
        var mode = args[1];
        if (lib is not ("netmq" or "libzmq"))
            return Fail($"unknown library '{lib}'");
        if (mode is not ("thr" or "lat"))
            return Fail($"unknown mode '{mode}'");

        string? endpoint = null;
        bool? bind = null;
        var inproc = false;
        int size = -1, count = -1;
        var json = false;
        var curve = false;
        for (var i = 2; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--json")
            {
                json = true;
                continue;
            }
            if (arg == "--inproc")
            {
                inproc = true;
                continue;
            }
            if (arg == "--curve")
            {
                curve = true;
                continue;
            }
            if (i + 1 >= args.Length)
                return Fail($"{arg} needs a value");
            var value = args[++i];
            switch (arg)
            {
                case "--bind" or "--connect":
                    if (bind is not null)
                        return Fail("give exactly one of --bind, --connect and --inproc");
                    bind = arg == "--bind";
                    endpoint = value;
                    break;
                case "--size":
                    if (!int.TryParse(value, out size) || size < 0)
                        return Fail($"bad --size '{value}'");
                    break;
                case "--count":
                    if (!int.TryParse(value, out count) || count < 1)
                        return Fail($"bad --count '{value}'");
                    break;
                default:
                    return Fail($"unknown option '{arg}'");
            }
        }
        if (inproc && bind is not null)
            return Fail("give exactly one of --bind, --connect and --inproc");
        if (inproc)
            (endpoint, bind) = (InprocEndpoint, true);
        if (endpoint is null || bind is null)
            return Fail("missing --bind ENDPOINT, --connect ENDPOINT or --inproc");
        if (!inproc && TransportOf(endpoint) == "inproc")
            return Fail("inproc:// cannot cross processes: use --inproc");
        if (curve && inproc)
            return Fail("--curve needs tcp or ipc: inproc carries no security mechanism");
        if (size < 0 || count < 1)
            return Fail("missing --size or --count");
        return new BenchArgs(lib, mode, bind.Value, endpoint, size, count, json, inproc, curve);
    }

    private static BenchArgs? Fail(string why)
    {
        Console.Error.WriteLine("Zmq.Bench: " + why);
        Console.Error.WriteLine(Usage);
        return null;
    }
}
