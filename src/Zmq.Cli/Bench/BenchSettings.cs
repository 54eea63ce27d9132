using Zmq.BenchShared;
namespace Zmq.Cli.Bench;

/// <summary>One benchmark run: the arguments of <c>zmq bench thr|lat</c> (same as bench/Zmq.Bench's).</summary>
/// <param name="Local">Both sockets in this process (one <see cref="Context"/>), each on its own thread, over <see cref="Endpoint"/> (bound by the PULL or REP side).</param>
/// <param name="Curve">CURVE instead of NULL (tcp and ipc only): the bind side is the server, with <see cref="BenchCurveKeys"/>; the connect side a client with a fresh key pair.</param>
/// <param name="RecvAdapter">thr: the toolkit adapter the receiving side reads through (<see cref="AdapterBench.ReceiveAdapters"/>), null for the bare socket.</param>
/// <param name="SendAdapter">thr: the toolkit adapter the sending side writes through (<see cref="AdapterBench.SendAdapters"/>), null for the bare socket.</param>
/// <param name="Warmup">thr: messages sent and received before the timed <see cref="Count"/> (the JIT's tiers reached), the sender pausing <see cref="WarmupPause"/> after them; both sides need the same value.</param>
internal sealed record BenchSettings(string Mode, bool Bind, string Endpoint, int Size, int Count, bool Json, bool Local = false, bool Curve = false,
    string? RecvAdapter = null, string? SendAdapter = null, int Warmup = 0)
{
    /// <summary>The sender's pause after the warm-up: the queue drains, so the timed run starts as a fresh one (with compiled code).</summary>
    public static readonly TimeSpan WarmupPause = TimeSpan.FromMilliseconds(200);

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
    public BenchRun Run => new(Lib, Transport, Size, Count, Json, Curve, AdapterLabel);

    /// <summary>The adapters this process ran ("recv:channel", "send:stream", both joined by a comma), null for bare sockets.</summary>
    private string? AdapterLabel
    {
        get
        {
            var recv = RecvAdapter is null || !(Local || Bind) ? null : "recv:" + RecvAdapter;
            var send = SendAdapter is null || !(Local || !Bind) ? null : "send:" + SendAdapter;
            return recv is null ? send : send is null ? recv : recv + "," + send;
        }
    }
}
