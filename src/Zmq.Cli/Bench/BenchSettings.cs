using Zmq.BenchShared;
namespace Zmq.Cli.Bench;

/// <summary>One benchmark run: the arguments of <c>zmq bench thr|lat</c> (same as bench/Zmq.Bench's).</summary>
/// <param name="Local">Both sockets in this process (one <see cref="Context"/>), each on its own thread, over <see cref="Endpoint"/> (bound by the PULL or REP side).</param>
/// <param name="Curve">CURVE instead of NULL (tcp and ipc only): the bind side is the server, with <see cref="BenchCurveKeys"/>; the connect side a client with a fresh key pair.</param>
internal sealed record BenchSettings(string Mode, bool Bind, string Endpoint, int Size, int Count, bool Json, bool Local = false, bool Curve = false)
{
    /// <summary>The library name in the JSON line; bench/report.py groups by it.</summary>
    public const string Lib = "zmq";

    /// <summary>The endpoint of one-process inproc runs.</summary>
    public const string InprocEndpoint = "inproc://zmq-bench";

    /// <summary>What a one-process run binds for a transport: 127.0.0.1 on an ephemeral port, a fresh ipc path, or <see cref="InprocEndpoint"/>.</summary>
    public static string LocalEndpoint(string transport) => transport switch
    {
        "tcp" => "tcp://127.0.0.1:*",
        "ipc" => "ipc://*",
        _ => InprocEndpoint,
    };

    /// <summary>The transport named in the JSON line: the endpoint's scheme (tcp, ipc, inproc).</summary>
    public string Transport => TransportOf(Endpoint);

    public static string TransportOf(string endpoint) => BenchRun.TransportOf(endpoint);

    /// <summary>The fields of this run's result line.</summary>
    public BenchRun Run => new(Lib, Transport, Size, Count, Json, Curve);
}
