using System.Diagnostics;
using System.Globalization;

namespace Zmq.BenchShared;

/// <summary>What one benchmark process measures: the fields of its JSON result line.</summary>
/// <param name="Curve">The run used CURVE (bind side the server, connect side the client) rather than NULL.</param>
/// <param name="Adapter">Ours only: the toolkit adapter a side ran through instead of the bare socket
/// (e.g. "recv:channel", "send:stream"; see bench/adapters.sh), null for the bare socket.</param>
internal readonly record struct BenchRun(string Lib, string Transport, int Size, int Count, bool Json, bool Curve = false, string? Adapter = null)
{
    /// <summary>The transport named by an endpoint (tcp, ipc, inproc).</summary>
    public static string TransportOf(string endpoint)
    {
        var colon = endpoint.IndexOf("://", StringComparison.Ordinal);
        return colon > 0 ? endpoint[..colon] : "unknown";
    }

    /// <summary>The JSON fields naming the run: lib, mode, transport, curve, size, count (and adapter, when one ran).</summary>
    public string JsonHead(string mode)
        => string.Create(CultureInfo.InvariantCulture, $"\"lib\":\"{Lib}\",\"mode\":\"{mode}\",\"transport\":\"{Transport}\",\"curve\":{(Curve ? "true" : "false")},\"size\":{Size},\"count\":{Count}")
           + (Adapter is null ? "" : $",\"adapter\":\"{Adapter}\"");
}

/// <summary>
/// The CURVE server key pair of every --curve benchmark run: ours (`zmq bench`), NetMQ and libzmq
/// (bench/Zmq.Bench) all use it on the bind side, so the connect side of any library knows the
/// server's public key without an exchange and any pairing of libraries works. Each client makes
/// a fresh key pair of its own. Generated once with libzmq's zmq_curve_keypair.
/// PUBLIC TEST DATA: this secret key is published in the repository; it protects nothing and must
/// never be used for anything but these benchmarks. (It lives in this file because this is the
/// one file linked into both benchmark programs.)
/// </summary>
internal static class BenchCurveKeys
{
    /// <summary>The server's public key, Z85 (40 characters).</summary>
    public const string ServerPublicZ85 = "Z6.$IIO@$2muz=YOCCI]*-z&6ez$<QW)r^s]Y+KW";

    /// <summary>The server's secret key, Z85 (40 characters). Public test data, benchmark only.</summary>
    public const string ServerSecretZ85 = "gHZZ)8qVTOoB5^5G6Ik[mQ>$W]bA:bSY83!OFHih";
}

/// <summary>
/// Turns timings into libzmq-perf-style lines and the one-line JSON result. One file shared (linked)
/// by bench/Zmq.Bench (NetMQ, libzmq) and `zmq bench` (ours), so bench/run.sh and bench/report.py
/// read every library's output alike.
/// </summary>
internal static class BenchReport
{
    /// <summary>Throughput as libzmq's local_thr computes it: count / (last - first received).</summary>
    public static void Throughput(BenchRun a, long elapsedTicks)
    {
        var seconds = Math.Max(elapsedTicks, 1) / (double)Stopwatch.Frequency;
        var msgsPerSecond = a.Count / seconds;
        var megabits = msgsPerSecond * a.Size * 8 / 1_000_000;
        Console.WriteLine($"message size: {a.Size} [B]");
        Console.WriteLine($"message count: {a.Count}");
        if (a.Curve) Console.WriteLine("mechanism: CURVE");
        Console.WriteLine(Inv($"mean throughput: {msgsPerSecond:F0} [msg/s]"));
        Console.WriteLine(Inv($"mean throughput: {megabits:F3} [Mb/s]"));
        Console.WriteLine(Inv($"mean throughput: {megabits / 8:F3} [MB/s]"));
        if (a.Json)
            Console.WriteLine(Inv($"{{{a.JsonHead("thr")},\"msgs_per_s\":{msgsPerSecond:F1},\"mbit_per_s\":{megabits:F3}}}"));
    }

    /// <summary>Latency as libzmq's remote_lat computes it (total / count / 2), plus p50/p99 of each round trip.</summary>
    public static void Latency(BenchRun a, long totalTicks, long[] roundTripTicks)
    {
        var tickUs = 1_000_000.0 / Stopwatch.Frequency;
        var meanUs = totalTicks * tickUs / a.Count / 2;
        Array.Sort(roundTripTicks);
        var p50 = Percentile(roundTripTicks, 0.50) * tickUs;
        var p99 = Percentile(roundTripTicks, 0.99) * tickUs;
        Console.WriteLine($"message size: {a.Size} [B]");
        Console.WriteLine($"roundtrip count: {a.Count}");
        if (a.Curve) Console.WriteLine("mechanism: CURVE");
        Console.WriteLine(Inv($"average latency: {meanUs:F3} [us]"));
        Console.WriteLine(Inv($"round trip p50: {p50:F3} [us], p99: {p99:F3} [us]"));
        if (a.Json)
            Console.WriteLine(Inv($"{{{a.JsonHead("lat")},\"mean_us\":{meanUs:F3},\"p50_rt_us\":{p50:F3},\"p99_rt_us\":{p99:F3}}}"));
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static long Percentile(long[] sorted, double q)
    {
        var rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
