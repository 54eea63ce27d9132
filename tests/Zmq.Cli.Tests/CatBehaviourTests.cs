using System.Diagnostics;
using System.Net.Sockets;

namespace Zmq.Cli.Tests;

/// <summary>
/// <c>zmq cat</c>'s own rules, cat to cat where no libzmq peer is needed: the line format round trip
/// (hex, text, TAB, empty lines, unparseable lines), -n, --timeout, SIGTERM, linger, and a
/// connection that breaks the protocol being dropped while the others carry on.
/// </summary>
public sealed class CatBehaviourTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(12);

    [Fact]
    public void Lines_round_trip_through_push_and_pull()
    {
        var ep = PyPeer.FreeTcpEndpoint();
        using var pull = CliProcess.Start("cat", "pull", "@" + ep, "-n", "10", "--timeout", "8");
        string[] input =
        [
            "plain text",
            "a\t\tb",            // an empty frame between two
            "",                  // one empty frame
            "0x",                // an empty frame, in hex
            "0xDEADbeef",        // hex is case-insensitive
            "0x3078796f",        // the text "0xyo": prints as hex, so it reads back as the same bytes
            "héllo wörld ✓",     // UTF-8 text
            "0x7f\t0x09\t0x0a",  // DEL, TAB, LF: not text
            "0xzz",              // not hex: reported and skipped
            "0x123",             // odd number of digits: reported and skipped
            "0xc328",            // invalid UTF-8
            "last\t",            // a trailing empty frame
        ];
        var push = CliProcess.Run(string.Join("\n", input) + "\n", Exit, "cat", "push", ">" + ep, "--timeout", "8");
        Assert.True(push.ExitCode == 0, push.ToString());
        var errors = push.StderrLines;
        Assert.Equal(2, errors.Length);
        Assert.Contains("line 9", errors[0]);
        Assert.Contains("0xzz", errors[0]);
        Assert.Contains("line 10", errors[1]);
        Assert.Contains("0x123", errors[1]);
        var r = pull.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(
            ["plain text", "a\t\tb", "", "", "0xdeadbeef", "0x3078796f", "héllo wörld ✓", "0x7f\t0x09\t0x0a", "0xc328", "last\t"],
            r.Stdout);
    }

    [Fact]
    public void Hex_prints_every_frame_in_hex_and_options_go_anywhere()
    {
        var ep = PyPeer.FreeTcpEndpoint();
        using var pull = CliProcess.Start("cat", "--hex", "-n", "2", "PULL", ep, "--timeout", "8"); // options before and after, any case
        var push = CliProcess.Run("AB\tc\n\n", Exit, "cat", "push", ep, "--timeout", "8");
        Assert.True(push.ExitCode == 0, push.ToString());
        var r = pull.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["0x4142\t0x63", "0x"], r.Stdout);
    }

    [Fact]
    public void Req_and_rep_echo_over_ipc_stop_after_n()
    {
        var ep = PyPeer.FreeIpcEndpoint();
        using var rep = CliProcess.Start("cat", "rep", ep, "--echo", "-n", "2", "--timeout", "8");
        var req = CliProcess.Run("ping\t0x00\npong\nnever sent\n", Exit, "cat", "req", ep, "-n", "2", "--timeout", "8");
        Assert.True(req.ExitCode == 0, req.ToString());
        Assert.Equal(["ping\t0x00", "pong"], req.Stdout);
        var r = rep.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["ping\t0x00", "pong"], r.Stdout);
    }

    [Fact]
    public void Timeout_with_nothing_arriving_is_exit_1_and_one_line()
    {
        var sw = Stopwatch.StartNew();
        var r = CliProcess.Run("", Exit, "cat", "pull", "@" + PyPeer.FreeTcpEndpoint(), "--timeout", "0.5");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Single(r.StderrLines);
        Assert.Contains("--timeout", r.Stderr);
        Assert.Empty(r.Stdout);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(8), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Req_without_a_reply_times_out()
    {
        var r = CliProcess.Run("anyone?\n", Exit, "cat", "req", PyPeer.FreeTcpEndpoint(), "--timeout", "0.5");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Single(r.StderrLines);
        Assert.Contains("no reply", r.Stderr);
    }

    [SkippableFact]
    public void Sigterm_closes_cleanly_with_exit_0()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGTERM is Unix");
        var ep = PyPeer.FreeTcpEndpoint();
        using var pull = CliProcess.Start("cat", "pull", "@" + ep);
        // Proof that it runs (and has bound): a message comes through.
        var push = CliProcess.Run("alive\n", Exit, "cat", "push", ">" + ep, "--timeout", "8");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal("alive", pull.ReadLine());
        pull.Terminate();
        var r = pull.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr);
    }

    [SkippableFact]
    public void Sigterm_ends_the_wait_for_delivery_with_exit_0()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGTERM is Unix");
        using var push = CliProcess.Start("cat", "push", ">" + PyPeer.FreeTcpEndpoint()); // no peer ever comes; the default linger waits for ever
        push.Write("queued\n");
        push.CloseInput();
        Thread.Sleep(500);
        var sw = Stopwatch.StartNew();
        push.Terminate();
        var r = push.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Linger_0_drops_what_no_peer_took_and_exits_0_at_once()
    {
        var sw = Stopwatch.StartNew();
        var r = CliProcess.Run("a\nb\nc\n", Exit, "cat", "push", ">" + PyPeer.FreeTcpEndpoint(), "--linger", "0");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }

    [Fact]
    public void A_linger_that_runs_out_is_exit_1_and_says_how_many_were_dropped()
    {
        var r = CliProcess.Run("a\nb\nc\n", Exit, "cat", "push", ">" + PyPeer.FreeTcpEndpoint(), "--linger", "300");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Single(r.StderrLines);
        Assert.Contains("3 message(s)", r.Stderr);
    }

    [Fact]
    public void Timeout_bounds_the_drain_of_a_sender()
    {
        var r = CliProcess.Run("a\nb\n", Exit, "cat", "pub", ">" + PyPeer.FreeTcpEndpoint(), "--timeout", "0.5");
        // PUB drops what no subscriber wants: nothing is queued, so it exits at once with 0.
        Assert.True(r.ExitCode == 0, r.ToString());
        var push = CliProcess.Run("a\nb\n", Exit, "cat", "push", ">" + PyPeer.FreeTcpEndpoint(), "--timeout", "0.5");
        Assert.True(push.ExitCode == 1, push.ToString());
        Assert.Single(push.StderrLines);
        Assert.Contains("2 message(s)", push.Stderr);
    }

    [Fact]
    public void Router_reports_a_line_for_an_unknown_peer_and_goes_on()
    {
        var ep = PyPeer.FreeTcpEndpoint();
        using var router = CliProcess.Start("cat", "router", ep, "-n", "2", "--timeout", "8");
        using var dealer = CliProcess.Start("cat", "dealer", ep, "--identity", "0x0102", "-n", "1", "--timeout", "8");
        dealer.WriteLine("hi");
        Assert.Equal("0x0102\thi", router.ReadLine());
        router.WriteLine("nobody\tlost");
        router.WriteLine("only-one-field");
        router.WriteLine("0x0102\tback");
        var d = dealer.WaitForExit(Exit);
        Assert.True(d.ExitCode == 0, d.ToString());
        Assert.Equal(["back"], d.Stdout);
        router.CloseInput();
        router.Terminate();
        var r = router.WaitForExit(Exit);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, r.StderrLines.Length);
        Assert.Contains(r.StderrLines, l => l.Contains("nobody", StringComparison.Ordinal));
        Assert.Contains(r.StderrLines, l => l.Contains("routing id", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_peer_that_breaks_the_protocol_is_dropped_and_the_others_carry_on()
    {
        PyPeer.Require();
        var ep = PyPeer.FreeTcpEndpoint();
        using var cat = CliProcess.Start("cat", "pull", "@" + ep, "-n", "1", "--timeout", "8");
        var port = int.Parse(ep[(ep.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        // Garbage instead of a greeting, from a raw TCP connection (retried until cat listens).
        using (var garbage = Connect(port))
        {
            garbage.GetStream().Write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8);
            garbage.GetStream().Flush();
        }
        using var py = PyPeer.Start($"""
            wrong = ctx.socket(zmq.PUB); wrong.connect("{ep}")            # PUB cannot talk to PULL
            good = ctx.socket(zmq.PUSH); good.connect("{ep}")
            time.sleep(0.3)
            wrong.send(b"nope"); good.send(b"still here"); wrong.close(linger=0); finish()
            time.sleep(1)
            """);
        var r = cat.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["still here"], r.Stdout);
    }

    private static TcpClient Connect(int port)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new TcpClient("127.0.0.1", port);
            }
            catch (SocketException) when (sw.Elapsed < TimeSpan.FromSeconds(5))
            {
                Thread.Sleep(50);
            }
        }
    }

    [Fact]
    public void Stdout_redirected_to_a_file_keeps_its_lines_when_the_shell_writes_after_them()
    {
        var ep = PyPeer.FreeTcpEndpoint();
        var file = Path.Combine(Path.GetTempPath(), $"zmq-cat-{Guid.NewGuid():N}.txt");
        try
        {
            // As a user's shell does it: one redirection, cat's lines, then the shell's own line.
            var psi = new ProcessStartInfo("/bin/sh", ["-c", $"{{ \"$DOTNET\" \"$CLI\" cat pull '@{ep}' -n 2 --timeout 8; echo after; }} > '{file}'"])
            {
                UseShellExecute = false,
            };
            psi.Environment["DOTNET"] = Environment.ProcessPath ?? "dotnet";
            psi.Environment["CLI"] = CliProcess.CliDll;
            using var sh = Process.Start(psi)!;
            using (var push = new PushSocket(">" + ep))
            {
                push.SendString("one");
                push.SendString("two");
                Assert.True(sh.WaitForExit(15_000), "the shell did not finish");
            }
            Assert.Equal(["one", "two", "after"], File.ReadAllLines(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
