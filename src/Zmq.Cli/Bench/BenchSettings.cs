namespace Zmq.Cli.Bench;

/// <summary>One side of a benchmark run: the arguments of <c>zmq bench thr|lat</c> (same as bench/Zmq.Bench's).</summary>
internal sealed record BenchSettings(string Mode, bool Bind, string Endpoint, int Size, int Count, bool Json)
{
    /// <summary>The library name in the JSON line; bench/report.py groups by it.</summary>
    public const string Lib = "zmq";
}
