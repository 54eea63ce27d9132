using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Zmq.Cli.Tests;

/// <summary><c>zmq monitor TYPE ENDPOINTS</c>: events and message counts live, and how it ends.</summary>
public sealed partial class MonitorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [GeneratedRegex(@" LISTENING (\S+) ")]
    private static partial Regex Listening();

    /// <summary>Reads stdout lines (recording them in <paramref name="seen"/>) until one matches; fails with everything seen after <see cref="Wait"/>.</summary>
    private static string ReadUntil(CliProcess p, List<string> seen, Predicate<string> match)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < Wait)
        {
            var line = p.ReadLine(Wait - sw.Elapsed);
            if (line is null) break;
            seen.Add(line);
            if (match(line)) return line;
        }
        Assert.Fail($"no matching line; stdout: [{string.Join(" | ", seen)}]; stderr: {p.Stderr}");
        return "";
    }

    private static string Bound(CliProcess p, List<string> seen) =>
        Listening().Match(ReadUntil(p, seen, l => Listening().IsMatch(l))).Groups[1].Value;

    private static Predicate<string> Has(string text) => l => l.Contains(text, StringComparison.Ordinal);

    [Fact]
    public void Monitor_pull_shows_listening_accepted_handshake_a_count_of_3_then_disconnected()
    {
        using var p = CliProcess.Start("monitor", "pull", "@tcp://127.0.0.1:*");
        var seen = new List<string>();
        var endpoint = Bound(p, seen);
        Assert.StartsWith("tcp://127.0.0.1:", endpoint, StringComparison.Ordinal);

        using (var push = new PushSocket(">" + endpoint))
        {
            for (int i = 0; i < 3; i++) push.SendString($"message {i}");
            ReadUntil(p, seen, Has(" received 3 messages, 27 bytes"));
        }
        ReadUntil(p, seen, Has(" DISCONNECTED " + endpoint));
        Assert.Contains(seen, Has(" ACCEPTED " + endpoint + " peer tcp://127.0.0.1:"));
        Assert.Contains(seen, Has(" HANDSHAKE_SUCCEEDED " + endpoint));
        Assert.True(seen.FindIndex(Has(" ACCEPTED ")) < seen.FindIndex(Has(" HANDSHAKE_SUCCEEDED ")));

        p.Terminate();
        var r = p.WaitForExit(Wait);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr);
        Assert.Contains(" received 3 messages, 27 bytes", r.Stdout[^1], StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Monitor_rep_over_ipc_answers_a_libzmq_REQ_and_exits_0_after_count()
    {
        PyPeer.Require();
        var path = Path.Combine(Path.GetTempPath(), $"zmq-monitor-{Guid.NewGuid():N}.sock");
        using var p = CliProcess.Start("monitor", "rep", $"@ipc://{path}", "--count", "2");
        var seen = new List<string>();
        Assert.Equal("ipc://" + path, Bound(p, seen));

        using var req = PyPeer.Start($"""
            import zmq
            c = zmq.Context(); s = c.socket(zmq.REQ); s.setsockopt(zmq.LINGER, 0); s.setsockopt(zmq.RCVTIMEO, 10000)
            s.connect("ipc://{path}")
            for i in range(2):
                s.send(b"req %d" % i); print("reply " + s.recv().decode(), flush=True)
            """);
        req.Expect("reply req 1", Wait);
        var r = p.WaitForExit(Wait);
        Assert.True(r.ExitCode == 0, r.ToString());
        seen.AddRange(r.Stdout);
        Assert.Contains(seen, Has(" HANDSHAKE_SUCCEEDED ipc://" + path));
        Assert.Contains(" received 2 messages, 10 bytes", seen[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Monitor_with_count_exits_0_once_that_many_messages_arrived()
    {
        using var p = CliProcess.Start("monitor", "pull", "@tcp://127.0.0.1:*", "-n", "2");
        var endpoint = Bound(p, []);
        using var push = new PushSocket(">" + endpoint);
        push.SendString("a");
        push.SendString("b");
        var r = p.WaitForExit(Wait);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains(" received 2 messages, 2 bytes", r.Stdout[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Monitor_timeout_without_events_or_messages_exits_1_with_one_stderr_line()
    {
        var sw = Stopwatch.StartNew();
        var r = CliProcess.Run("", Wait, "monitor", "pull", "@tcp://127.0.0.1:*", "--timeout", "0.5");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("--timeout", Assert.Single(r.StderrLines), StringComparison.Ordinal);
        Assert.Contains(r.Stdout, Has(" LISTENING tcp://127.0.0.1:"));
        Assert.Contains(" received 0 messages", r.Stdout[^1], StringComparison.Ordinal);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Monitor_timeout_fires_while_connect_retries_go_on()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var endpoint = $"tcp://127.0.0.1:{((System.Net.IPEndPoint)l.LocalEndpoint).Port}";
        l.Stop(); // nothing listens there: the SUB retries for ever
        var r = CliProcess.Run("", Wait, "monitor", "sub", ">" + endpoint, "--timeout", "0.5");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("--timeout", Assert.Single(r.StderrLines), StringComparison.Ordinal);
        Assert.Contains(r.Stdout, Has(" CONNECT_RETRIED " + endpoint));
    }

    [Theory]
    [InlineData("frob", "tcp://127.0.0.1:5555", "'frob'")]
    [InlineData("pull", "@tcp://127.0.0.1:port", "tcp://127.0.0.1:port")]
    [InlineData("sub", ">udp://127.0.0.1:5555", "udp://127.0.0.1:5555")]
    [InlineData("pull", "@", "'@'")]
    [InlineData("pull", ",", "','")]
    public void Monitor_unknown_type_or_malformed_endpoint_is_a_usage_error_with_one_stderr_line(string type, string endpoints, string named)
    {
        var r = CliProcess.Run("", Wait, "monitor", type, endpoints);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(named, Assert.Single(r.StderrLines), StringComparison.Ordinal);
        Assert.Empty(r.Stdout);
    }
}
