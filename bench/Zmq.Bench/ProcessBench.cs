extern alias ZmqLib;

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Zmq.LibZmq;
using Ours = ZmqLib::Zmq;

namespace Zmq.Bench;

/// <summary>
/// The server side of the whole-process benchmarks bench/scale.sh, bench/hostile.sh and
/// bench/fanout.sh, for our library (lib "zmq") and for libzmq (lib "libzmq", through
/// tests/Zmq.LibZmq), with the same options on both:
/// <code>
/// Zmq.Bench (zmq|libzmq) router-echo --bind EP [--backlog N] [--linger MS] [--handshake-ivl MS] [--hwm N]
/// Zmq.Bench (zmq|libzmq) pub --bind EP --size B --count N [--hwm N] [--nodrop] [--go-file PATH]
///                            [--wait-s S] [--end-s S] [--linger MS]
/// </code>
/// Each prints one JSON line once bound (<c>{"ready":true,...,"pid":P,"endpoint":...}</c>), runs
/// until SIGTERM or SIGINT (pub: at most --wait-s + --end-s seconds after binding), then closes its
/// socket and context, and prints one JSON line with <c>dispose_ms</c> (the time the close took,
/// measured around socket Dispose/zmq_close plus context Dispose/zmq_ctx_term) and exits 0.
/// router-echo sends every message it receives back as it came (routing id first).
/// pub sends a 1-byte "W" every 10 ms until the --go-file exists (subscribers use them to know
/// they are connected and subscribed), then --count messages of --size bytes starting with "D",
/// then a 1-byte "E" every 20 ms (the end marker) until told to stop or --end-s elapsed.
/// </summary>
internal static class ProcessBench
{
    public const string Usage =
        "usage: Zmq.Bench (zmq|libzmq) router-echo --bind EP [--backlog N] [--linger MS] [--handshake-ivl MS] [--hwm N]\n" +
        "       Zmq.Bench (zmq|libzmq) pub --bind EP --size B --count N [--hwm N] [--nodrop] [--go-file PATH] [--wait-s S] [--end-s S] [--linger MS]\n" +
        "  router-echo  ROUTER echo server until SIGTERM/SIGINT; prints a ready line, then echoed count and dispose_ms\n" +
        "  pub          PUB: 'W' warm-ups every 10 ms until --go-file exists, COUNT data messages ('D'...),\n" +
        "               then 'E' end markers every 20 ms until SIGTERM/SIGINT or --end-s; prints send time and dispose_ms\n" +
        "  --backlog    listen backlog (ZMQ_BACKLOG / RouterSocket.Backlog), default 100 (libzmq's)\n" +
        "  --linger     LINGER in ms at close, default 0\n" +
        "  --hwm        SNDHWM and RCVHWM (0 = unlimited), default the library's (1000)\n" +
        "  --nodrop     pub: XPUB_NODROP / PubSocket.NoDrop (a full subscriber makes Send wait instead of dropping)";

    public static bool Handles(string mode) => mode is "router-echo" or "pub";

    private sealed class Options
    {
        public required string Lib;
        public required string Mode;
        public string? Endpoint;
        public int Backlog = 100;
        public int LingerMs;
        public int? HandshakeIvlMs;
        public int? Hwm;
        public int Size = 64;
        public int Count = -1;
        public bool NoDrop;
        public string? GoFile;
        public double WaitS = 120;
        public double EndS = 60;
    }

    public static int Run(string[] args)
    {
        var o = Parse(args);
        if (o is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (o.Lib == "libzmq" && !Zmq.LibZmq.LibZmq.IsAvailable)
        {
            Console.Error.WriteLine("Zmq.Bench: libzmq unavailable: " + Zmq.LibZmq.LibZmq.UnavailableReason);
            return 1;
        }
        using var stop = new ManualResetEventSlim();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Set(); });
        try
        {
            switch (o.Lib, o.Mode)
            {
                case ("zmq", "router-echo"): OursRouterEcho(o, stop); break;
                case ("libzmq", "router-echo"): LibZmqRouterEcho(o, stop); break;
                case ("zmq", "pub"): OursPub(o, stop); break;
                default: LibZmqPub(o, stop); break;
            }
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Zmq.Bench {o.Lib} {o.Mode} failed: {e}");
            return 1;
        }
    }

    private static Options? Parse(string[] args)
    {
        if (args.Length < 2 || args[0] is not ("zmq" or "libzmq") || !Handles(args[1]))
            return Fail("expected (zmq|libzmq) (router-echo|pub)");
        var o = new Options { Lib = args[0], Mode = args[1] };
        for (var i = 2; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--nodrop")
            {
                o.NoDrop = true;
                continue;
            }
            if (i + 1 >= args.Length)
                return Fail($"{arg} needs a value");
            var v = args[++i];
            var ok = arg switch
            {
                "--bind" => Set(ref o.Endpoint, v),
                "--backlog" => int.TryParse(v, out o.Backlog) && o.Backlog >= 0,
                "--linger" => int.TryParse(v, out o.LingerMs) && o.LingerMs >= -1,
                "--handshake-ivl" => int.TryParse(v, out var h) && h >= 0 && Set(ref o.HandshakeIvlMs, h),
                "--hwm" => int.TryParse(v, out var w) && w >= 0 && Set(ref o.Hwm, w),
                "--size" => int.TryParse(v, out o.Size) && o.Size >= 1,
                "--count" => int.TryParse(v, out o.Count) && o.Count >= 1,
                "--go-file" => Set(ref o.GoFile, v),
                "--wait-s" => double.TryParse(v, CultureInfo.InvariantCulture, out o.WaitS) && o.WaitS > 0,
                "--end-s" => double.TryParse(v, CultureInfo.InvariantCulture, out o.EndS) && o.EndS >= 0,
                _ => false,
            };
            if (!ok)
                return Fail($"bad or unknown option {arg} {v}");
        }
        if (o.Endpoint is null)
            return Fail("missing --bind ENDPOINT");
        if (o.Mode == "pub" && o.Count < 1)
            return Fail("pub needs --count N");
        return o;
    }

    private static bool Set<T>(ref T field, T value)
    {
        field = value;
        return true;
    }

    private static Options? Fail(string why)
    {
        Console.Error.WriteLine("Zmq.Bench: " + why);
        return null;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static void Ready(Options o, string endpoint)
        => Console.WriteLine(Inv($"{{\"ready\":true,\"lib\":\"{o.Lib}\",\"mode\":\"{o.Mode}\",\"pid\":{Environment.ProcessId},\"endpoint\":\"{endpoint}\",\"backlog\":{o.Backlog},\"linger_ms\":{o.LingerMs},\"hwm\":{o.Hwm ?? -1}}}"));

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    // ---------------------------------------------------------------- router-echo

    private static void OursRouterEcho(Options o, ManualResetEventSlim stop)
    {
        var context = new Ours.Context();
        var router = new Ours.RouterSocket(context: context);
        Configure(router, o);
        router.Backlog = o.Backlog;
        router.Bind(o.Endpoint!);
        Ready(o, router.LastEndpoint ?? o.Endpoint!);
        long echoed = 0;
        var slice = TimeSpan.FromMilliseconds(100);
        while (!stop.IsSet)
        {
            if (!router.TryReceive(slice, out var m))
                continue;
            using (m)
                router.Send(m);
            echoed++;
        }
        var t0 = Stopwatch.GetTimestamp();
        router.Dispose();
        var t1 = Stopwatch.GetTimestamp();
        context.Dispose();
        var t2 = Stopwatch.GetTimestamp();
        Console.WriteLine(Inv($"{{\"lib\":\"zmq\",\"mode\":\"router-echo\",\"echoed\":{echoed},\"dispose_ms\":{Ms(t2 - t0):F3},\"socket_dispose_ms\":{Ms(t1 - t0):F3}}}"));
    }

    private static void Configure(Ours.Socket s, Options o)
    {
        s.Linger = o.LingerMs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(o.LingerMs);
        if (o.HandshakeIvlMs is { } h)
            s.HandshakeInterval = TimeSpan.FromMilliseconds(h);
        if (o.Hwm is { } w)
        {
            s.SendHighWatermark = w;
            s.ReceiveHighWatermark = w;
        }
    }

    private static void LibZmqRouterEcho(Options o, ManualResetEventSlim stop)
    {
        var context = new LzContext();
        var router = context.Socket(LzSocketType.Router);
        Configure(router, o);
        router.SetOption(LzOption.Backlog, o.Backlog);
        router.SetOption(LzOption.RcvTimeo, 100);
        router.Bind(o.Endpoint!);
        Ready(o, router.LastEndpoint);
        long echoed = 0;
        var frames = new List<byte[]>(4);
        while (!stop.IsSet)
        {
            var first = router.Receive(out var more, LzFlags.None);
            if (first is null)
                continue;
            frames.Clear();
            frames.Add(first);
            while (more)
                frames.Add(router.Receive(out more, LzFlags.None) ?? throw new InvalidDataException("a multipart message stopped short"));
            for (var i = 0; i < frames.Count; i++)
                router.Send(frames[i], i < frames.Count - 1);
            echoed++;
        }
        var t0 = Stopwatch.GetTimestamp();
        router.Dispose();
        var t1 = Stopwatch.GetTimestamp();
        context.Dispose();
        var t2 = Stopwatch.GetTimestamp();
        Console.WriteLine(Inv($"{{\"lib\":\"libzmq\",\"mode\":\"router-echo\",\"echoed\":{echoed},\"dispose_ms\":{Ms(t2 - t0):F3},\"socket_dispose_ms\":{Ms(t1 - t0):F3}}}"));
    }

    private static void Configure(LzSocket s, Options o)
    {
        s.SetOption(LzOption.Linger, o.LingerMs);
        if (o.HandshakeIvlMs is { } h)
            s.SetOption(LzOption.HandshakeIvl, h);
        if (o.Hwm is { } w)
        {
            s.SetOption(LzOption.SndHwm, w);
            s.SetOption(LzOption.RcvHwm, w);
        }
    }

    // ---------------------------------------------------------------- pub

    /// <summary>The phases of a pub run, one implementation for both libraries (send = one frame, blocking).</summary>
    private static void PubPhases(Options o, ManualResetEventSlim stop, Action<byte[]> send, out long warmups, out double sendS, out long ends)
    {
        var warm = "W"u8.ToArray();
        var end = "E"u8.ToArray();
        var data = new byte[o.Size];
        data[0] = (byte)'D';
        warmups = 0;
        ends = 0;
        sendS = -1;
        var deadline = Stopwatch.GetTimestamp() + (long)(o.WaitS * Stopwatch.Frequency);
        // Warm-ups until the subscribers are all there (the go file), so that none misses the stream.
        while (!stop.IsSet && (o.GoFile is null ? warmups < 100 : !File.Exists(o.GoFile)))
        {
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"no go file {o.GoFile} within {o.WaitS} s");
            send(warm);
            warmups++;
            stop.Wait(10);
        }
        if (stop.IsSet)
            return;
        var t0 = Stopwatch.GetTimestamp();
        for (var i = 0; i < o.Count; i++)
            send(data);
        sendS = (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency;
        Console.WriteLine(Inv($"{{\"sent\":{o.Count},\"send_s\":{sendS:F6}}}"));
        var endDeadline = Stopwatch.GetTimestamp() + (long)(o.EndS * Stopwatch.Frequency);
        while (!stop.IsSet && Stopwatch.GetTimestamp() < endDeadline)
        {
            send(end);
            ends++;
            stop.Wait(20);
        }
    }

    private static void PubDone(Options o, long warmups, double sendS, long ends, long t0, long t1, long t2)
    {
        var rate = sendS > 0 ? o.Count / sendS : 0;
        Console.WriteLine(Inv($"{{\"lib\":\"{o.Lib}\",\"mode\":\"pub\",\"size\":{o.Size},\"count\":{o.Count},\"nodrop\":{(o.NoDrop ? "true" : "false")},\"hwm\":{o.Hwm ?? -1},\"warmups\":{warmups},\"ends\":{ends},\"send_s\":{sendS:F6},\"send_msgs_per_s\":{rate:F1},\"dispose_ms\":{Ms(t2 - t0):F3},\"socket_dispose_ms\":{Ms(t1 - t0):F3}}}"));
    }

    private static void OursPub(Options o, ManualResetEventSlim stop)
    {
        var context = new Ours.Context();
        var pub = new Ours.PubSocket(context: context);
        Configure(pub, o);
        pub.Backlog = o.Backlog;
        pub.NoDrop = o.NoDrop;
        pub.Bind(o.Endpoint!);
        Ready(o, pub.LastEndpoint ?? o.Endpoint!);
        PubPhases(o, stop, f => pub.Send(f), out var warmups, out var sendS, out var ends);
        var t0 = Stopwatch.GetTimestamp();
        pub.Dispose();
        var t1 = Stopwatch.GetTimestamp();
        context.Dispose();
        var t2 = Stopwatch.GetTimestamp();
        PubDone(o, warmups, sendS, ends, t0, t1, t2);
    }

    private static void LibZmqPub(Options o, ManualResetEventSlim stop)
    {
        var context = new LzContext();
        var pub = context.Socket(LzSocketType.Pub);
        Configure(pub, o);
        pub.SetOption(LzOption.Backlog, o.Backlog);
        if (o.NoDrop)
            pub.SetOption(LzOption.XPubNoDrop, 1);
        pub.Bind(o.Endpoint!);
        Ready(o, pub.LastEndpoint);
        PubPhases(o, stop, f =>
        {
            if (!pub.Send(f))
                throw new InvalidOperationException("zmq_send returned EAGAIN without a send timeout");
        }, out var warmups, out var sendS, out var ends);
        var t0 = Stopwatch.GetTimestamp();
        pub.Dispose();
        var t1 = Stopwatch.GetTimestamp();
        context.Dispose();
        var t2 = Stopwatch.GetTimestamp();
        PubDone(o, warmups, sendS, ends, t0, t1, t2);
    }
}
