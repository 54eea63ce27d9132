using System.Diagnostics;
using Zmq.Tests.Infrastructure;

namespace Zmq.Cli.Tests;

/// <summary>The beacon CLI tests run one after another (each starts several processes in namespaces).</summary>
[CollectionDefinition(Name)]
public sealed class BeaconCliCollection
{
    public const string Name = "zmq beacon";
}

/// <summary>
/// <c>zmq beacon announce</c> and <c>listen</c> as processes. Every run that opens a beacon runs
/// inside a network namespace made by the test (<see cref="NetnsPair"/>: 10.200.7.1 in A,
/// 10.200.7.2 in B), against each other and against CZMQ 4.2.1's zbeacon; only the usage errors,
/// which exit before any socket exists, run in the test's own namespace.
/// </summary>
[Collection(BeaconCliCollection.Name)]
public sealed class BeaconCliTests
{
    private const string Port = "5670";
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);

    private static NetnsProcess Zmq(NetnsPair pair, string ns, params string[] args) =>
        pair.StartDotnet(ns, CliProcess.CliDll, ["beacon", .. args]);

    /// <summary>CZMQ's zbeacon in <paramref name="ns"/>, configured on the port (see tests/Zmq.Toolkit.Tests/Beacon/zbeacon_peer.c).</summary>
    private static NetnsProcess Czmq(NetnsPair pair, string ns)
    {
        var peer = pair.Start(ns, CzmqBeaconPeer.Path, []);
        peer.WriteLine("CONFIGURE " + Port);
        peer.WaitFor(l => l.StartsWith("HOST\t", StringComparison.Ordinal), Exit, "zbeacon's CONFIGURE answer");
        return peer;
    }

    private static string Hex(string text) => Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(text));

    private static void AssertOk(NetnsProcess p)
    {
        int code = p.WaitForExit(Exit);
        Assert.True(code == 0, $"exit {code}\n{p.Transcript()}");
        Assert.Equal("", p.Stderr);
    }

    [SkippableFact]
    public void Listen_prints_address_tab_payload_for_each_beacon_and_exits_after_n()
    {
        using var pair = NetnsPair.Create();
        var listen = Zmq(pair, pair.B, "listen", "--port", Port, "-n", "2");
        var announce = Zmq(pair, pair.A, "announce", "hello beacon", "--port", Port, "--interval", "100");
        AssertOk(listen);
        Assert.Equal([$"{NetnsPair.AddressA}\thello beacon", $"{NetnsPair.AddressA}\thello beacon"], listen.Seen);
        announce.Terminate();
        AssertOk(announce);
    }

    [SkippableTheory]
    [InlineData("0x00ff0a", "0x00ff0a")]            // hex in, not text: hex out
    [InlineData("0x3078797a", "0x3078797a")]        // the text "0xyz" given as hex: prints as hex, as cat does
    [InlineData("0x68656c6c6f", "hello")]           // hex that is text prints as text
    [InlineData("caf\u00e9 \u2713", "caf\u00e9 \u2713")]
    public void Payloads_are_text_or_0x_hex_as_in_cat(string given, string printed)
    {
        using var pair = NetnsPair.Create();
        var listen = Zmq(pair, pair.B, "listen", "--port", Port, "-n", "1");
        using var announce = Zmq(pair, pair.A, "announce", given, "--port", Port, "--interval", "100");
        AssertOk(listen);
        Assert.Equal([$"{NetnsPair.AddressA}\t{printed}"], listen.Seen);
    }

    [SkippableFact]
    public void Czmq_hears_announce_and_listen_hears_czmq()
    {
        using var pair = NetnsPair.Create();
        var czmq = Czmq(pair, pair.B);
        czmq.WriteLine("SUBSCRIBE " + Hex("cli"));
        var announce = Zmq(pair, pair.A, "announce", "cli says hi", "--port", Port, "--interval", "100");
        Assert.Equal($"BEACON\t{NetnsPair.AddressA}\t{Hex("cli says hi")}", czmq.WaitFor(l => l.StartsWith("BEACON", StringComparison.Ordinal), Exit, "our beacon at zbeacon"));
        announce.Terminate();
        AssertOk(announce);

        czmq.WriteLine($"PUBLISH {Hex("czmq says hi")} 100");
        var listen = Zmq(pair, pair.A, "listen", "--port", Port, "-n", "1", "--timeout", "10");
        AssertOk(listen);
        Assert.Equal([$"{NetnsPair.AddressB}\tczmq says hi"], listen.Seen);
    }

    [SkippableFact]
    public void Prefix_filters_beacons_and_takes_hex()
    {
        using var pair = NetnsPair.Create();
        var czmq = Czmq(pair, pair.A);
        czmq.WriteLine($"PUBLISH {Hex("other service")} 50");
        using var announce = Zmq(pair, pair.A, "announce", "svc-a tcp://10.200.7.1:5555", "--port", Port, "--interval", "100");
        var text = Zmq(pair, pair.B, "listen", "--port", Port, "--prefix", "svc", "-n", "3");
        var hex = Zmq(pair, pair.B, "listen", "--port", Port, "--prefix", "0x" + Hex("oth"), "-n", "1");
        AssertOk(text);
        Assert.All(text.Seen, l => Assert.Equal($"{NetnsPair.AddressA}\tsvc-a tcp://10.200.7.1:5555", l));
        AssertOk(hex);
        Assert.Equal([$"{NetnsPair.AddressA}\tother service"], hex.Seen);
    }

    [SkippableFact]
    public void Listen_gives_up_after_timeout_without_a_beacon_with_one_stderr_line()
    {
        using var pair = NetnsPair.Create();
        var clock = Stopwatch.StartNew();
        var listen = Zmq(pair, pair.B, "listen", "--port", Port, "--timeout", "0.5");
        Assert.Equal(1, listen.WaitForExit(Exit));
        Assert.Empty(listen.Seen);
        var line = Assert.Single(listen.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("zmq beacon: timed out: no beacon for 0.5 s (--timeout)", line);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 15);
    }

    [SkippableFact]
    public void Sigterm_ends_announce_and_listen_with_exit_0_and_duration_ends_announce()
    {
        using var pair = NetnsPair.Create();
        var listen = Zmq(pair, pair.B, "listen", "--port", Port);
        var announce = Zmq(pair, pair.A, "announce", "until-sigterm", "--port", Port, "--interval", "100");
        Assert.Equal($"{NetnsPair.AddressA}\tuntil-sigterm", listen.ReadLine(Exit));
        announce.Terminate();
        listen.Terminate();
        AssertOk(announce);
        AssertOk(listen);

        var clock = Stopwatch.StartNew();
        var timed = Zmq(pair, pair.A, "announce", "for-a-second", "--port", Port, "--duration", "1");
        AssertOk(timed);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1, 15);
    }

    [SkippableFact]
    public void Interval_sets_the_pace()
    {
        using var pair = NetnsPair.Create();
        var listen = Zmq(pair, pair.B, "listen", "--port", Port);
        using var announce = Zmq(pair, pair.A, "announce", "fast", "--port", Port, "--interval", "100");
        Assert.NotNull(listen.ReadLine(Exit));
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 5; i++) Assert.NotNull(listen.ReadLine(Exit));
        // five intervals of 100 ms: about half a second (at CZMQ's default of 1 s it would be 5 s)
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.3, 3);
        listen.Terminate();
        AssertOk(listen);
    }

    [SkippableFact]
    public void Interface_chooses_where_beacons_go()
    {
        using var pair = NetnsPair.Create(decoyFirst: true);
        // Without --interface the first broadcast interface is the decoy, and B hears nothing.
        using var decoy = Zmq(pair, pair.A, "announce", "via-decoy", "--port", Port, "--interval", "100");
        var nothing = Zmq(pair, pair.B, "listen", "--port", Port, "--timeout", "1");
        Assert.Equal(1, nothing.WaitForExit(Exit));
        decoy.Terminate();
        decoy.WaitForExit(Exit);

        foreach (var iface in new[] { NetnsPair.InterfaceA, NetnsPair.AddressA })
        {
            using var chosen = Zmq(pair, pair.A, "announce", "via-" + iface, "--port", Port, "--interval", "100", "--interface", iface);
            var heard = Zmq(pair, pair.B, "listen", "--port", Port, "-n", "1", "--timeout", "10", "--interface", NetnsPair.InterfaceB);
            AssertOk(heard);
            Assert.Equal([$"{NetnsPair.AddressA}\tvia-{iface}"], heard.Seen);
        }

        var missing = Zmq(pair, pair.A, "announce", "x", "--port", Port, "--interface", "zb-nope");
        Assert.Equal(1, missing.WaitForExit(Exit));
        Assert.Equal("zmq beacon: no broadcast interface found for 'zb-nope'", Assert.Single(missing.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [SkippableFact]
    public void Ipv6_announces_to_ff02_1_and_listens_there()
    {
        using var pair = NetnsPair.Create();
        var listen = Zmq(pair, pair.B, "listen", "--port", Port, "--ipv6", "-n", "1", "--timeout", "10");
        using var announce = Zmq(pair, pair.A, "announce", "over ipv6", "--port", Port, "--ipv6", "--interval", "100");
        AssertOk(listen);
        Assert.Equal([$"{NetnsPair.IPv6A}\tover ipv6"], listen.Seen);
    }

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { [], "missing a subcommand" },
        { ["shout"], "unknown subcommand 'shout'" },
        { ["announce"], "missing PAYLOAD" },
        { ["announce", "hi"], "missing --port" },
        { ["announce", "hi", "--port", "0"], "bad --port '0'" },
        { ["announce", "hi", "--port", "65536"], "bad --port '65536'" },
        { ["announce", "hi", "--port", "http"], "bad --port 'http'" },
        { ["announce", "hi", "--port"], "--port needs a value" },
        { ["announce", new string('x', 256), "--port", Port], "bad PAYLOAD: a beacon is at most 255 bytes, this one is 256" },
        { ["announce", "0x" + new string('a', 512), "--port", Port], "bad PAYLOAD: a beacon is at most 255 bytes, this one is 256" },
        { ["announce", "0xabc", "--port", Port], "bad PAYLOAD '0xabc'" },
        { ["announce", "hi", "there", "--port", Port], "unexpected argument 'there'" },
        { ["announce", "hi", "--port", Port, "--interval", "0"], "bad --interval '0'" },
        { ["announce", "hi", "--port", Port, "--duration", "soon"], "bad --duration 'soon'" },
        { ["announce", "hi", "--port", Port, "--loud"], "unknown option '--loud'" },
        { ["listen"], "missing --port" },
        { ["listen", "--port", "-1"], "bad --port '-1'" },
        { ["listen", "--port", Port, "-n", "0"], "bad --count '0'" },
        { ["listen", "--port", Port, "--timeout", "0"], "bad --timeout '0'" },
        { ["listen", "--port", Port, "--prefix", "0xq1"], "bad --prefix '0xq1'" },
        { ["listen", "--port", Port, "--prefix", new string('p', 256)], "bad --prefix: a beacon is at most 255 bytes" },
        { ["listen", "extra", "--port", Port], "unexpected argument 'extra'" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void Usage_errors_are_one_stderr_line_naming_the_argument_and_exit_2(string[] args, string expected)
    {
        // No beacon is opened: the command line is refused first (so this may run outside a namespace).
        var r = CliProcess.Run("", ["beacon", .. args]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Empty(r.Stdout);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith("zmq beacon: ", line);
        Assert.Contains(expected, line);
    }
}
