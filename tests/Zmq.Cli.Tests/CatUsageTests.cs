namespace Zmq.Cli.Tests;

/// <summary>
/// How <c>zmq cat</c> refuses: usage errors (unknown type, malformed endpoint, bad key, unknown
/// option, bad value) exit 2, run-time errors (address in use, unresolvable host, unreadable file)
/// exit 1, each with exactly one stderr line naming the offending argument or value.
/// </summary>
public sealed class CatUsageTests
{
    private static CliResult Cat(params string[] args) => CliProcess.Run("", ["cat", .. args]);

    private static void AssertOneLine(CliResult r, int exitCode, string named)
    {
        Assert.True(r.ExitCode == exitCode, r.ToString());
        Assert.Single(r.StderrLines);
        Assert.Contains(named, r.Stderr);
        Assert.Empty(r.Stdout);
    }

    [Theory]
    [InlineData("frob", "tcp://127.0.0.1:5555", "frob")]
    [InlineData("PUSHER", "tcp://127.0.0.1:5555", "PUSHER")]
    public void Unknown_type_is_exit_2(string type, string endpoint, string named) =>
        AssertOneLine(Cat(type, endpoint), 2, named);

    [Theory]
    [InlineData("127.0.0.1:5555")]           // no transport
    [InlineData("udp://127.0.0.1:5555")]     // unknown transport
    [InlineData("@tcp://127.0.0.1:port")]    // bad port
    [InlineData(">tcp://127.0.0.1")]         // no port
    [InlineData("@tcp://127.0.0.1:5555,")]   // an empty entry
    [InlineData(">tcp://*:5555")]            // connect to a wildcard
    public void Malformed_endpoint_is_exit_2(string endpoint)
    {
        var r = Cat("pull", endpoint);
        AssertOneLine(r, 2, endpoint.TrimEnd(',').TrimStart('@', '>'));
    }

    [Fact]
    public void Bad_keys_are_exit_2()
    {
        AssertOneLine(Cat("req", "tcp://127.0.0.1:5555", "--curve-serverkey", "tooshort"), 2, "tooshort");
        var notZ85 = new string('~', 40);
        AssertOneLine(Cat("rep", "tcp://127.0.0.1:5555", "--curve-server", "--curve-secret", notZ85), 2, notZ85);
        AssertOneLine(Cat("rep", "tcp://127.0.0.1:5555", "--curve-server"), 2, "--curve-secret");
    }

    /// <summary>A Z85 key may start with '-': the value is the whole next word, never an option or a split of it.</summary>
    [Theory]
    [InlineData("-:tooshort")] // System.CommandLine alone read this as "tooshort"
    [InlineData("-n5")]        // ... and this as -n 5
    [InlineData("-t=1")]
    public void A_value_starting_with_a_dash_is_taken_whole(string key) =>
        AssertOneLine(Cat("req", "tcp://127.0.0.1:5555", "--curve-serverkey", key), 2, $"'{key}'");

    [Theory]
    [InlineData("--frobnicate")]
    [InlineData("-z")]
    public void Unknown_option_is_exit_2(string option)
    {
        AssertOneLine(Cat("pull", "tcp://127.0.0.1:5555", option), 2, option);
        AssertOneLine(Cat(option, "pull", "tcp://127.0.0.1:5555"), 2, option);
    }

    [Theory]
    [InlineData("--count", "0")]
    [InlineData("--count", "many")]
    [InlineData("--timeout", "-1")]
    [InlineData("--linger", "soon")]
    [InlineData("--sndhwm", "-5")]
    [InlineData("--identity", "0xabc")]
    public void Bad_values_are_exit_2(string option, string value) =>
        AssertOneLine(Cat("dealer", "tcp://127.0.0.1:5555", option, value), 2, value);

    [Fact]
    public void Missing_arguments_and_misplaced_options_are_exit_2()
    {
        AssertOneLine(Cat(), 2, "TYPE");
        AssertOneLine(Cat("pull"), 2, "ENDPOINTS");
        AssertOneLine(Cat("pull", "tcp://127.0.0.1:5555", "tcp://127.0.0.1:5556"), 2, "tcp://127.0.0.1:5556");
        AssertOneLine(Cat("pull", "tcp://127.0.0.1:5555", "--count"), 2, "--count");
        AssertOneLine(Cat("push", "tcp://127.0.0.1:5555", "--subscribe", "x"), 2, "--subscribe");
        AssertOneLine(Cat("push", "tcp://127.0.0.1:5555", "--echo"), 2, "--echo");
        AssertOneLine(Cat("push", "tcp://127.0.0.1:5555", "--plain-server", "--curve-serverkey", new string('0', 40)), 2, "CURVE and PLAIN");
    }

    [Fact]
    public void Address_in_use_is_exit_1()
    {
        var ep = PyPeer.FreeTcpEndpoint();
        using var first = CliProcess.Start("cat", "pull", "@" + ep, "--timeout", "10");
        // Wait until the first one listens (a connect succeeds), then bind the same address again.
        var port = int.Parse(ep[(ep.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient("127.0.0.1", port);
                break;
            }
            catch (System.Net.Sockets.SocketException) when (sw.Elapsed < TimeSpan.FromSeconds(8))
            {
                Thread.Sleep(50);
            }
        }
        AssertOneLine(Cat("pull", "@" + ep), 1, ep);
    }

    [Fact]
    public void Unresolvable_host_is_exit_1() =>
        AssertOneLine(Cat("push", ">tcp://no-such-host.invalid:5555"), 1, "no-such-host.invalid");

    [Fact]
    public void Unreadable_files_are_exit_1()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"zmq-cat-missing-{Guid.NewGuid():N}");
        AssertOneLine(Cat("pull", "@tcp://127.0.0.1:5555", "--plain-server", "--plain-users", missing), 1, missing);
        AssertOneLine(Cat("pull", "@tcp://127.0.0.1:5555", "--curve-server", "--cert", missing), 1, missing);
    }

    [Fact]
    public void Help_lists_cat_and_its_options()
    {
        var r = CliProcess.Run("", "cat", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(r.Stdout, l => l.Contains("--curve-serverkey", StringComparison.Ordinal));
        var root = CliProcess.Run("", "--help");
        Assert.Contains(root.Stdout, l => l.TrimStart().StartsWith("cat", StringComparison.Ordinal));
    }
}
