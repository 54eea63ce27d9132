namespace Zmq.Cli.Tests;

/// <summary><c>zmq gossip</c> as processes: a server and a client exchanging tuples, the hex rule, time-outs and usage errors.</summary>
public sealed class GossipCliTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(20);

    [Fact]
    public void A_server_and_a_client_learn_each_others_tuples()
    {
        string ep = PyPeer.FreeTcpEndpoint();
        using var server = CliProcess.Start("gossip", "@" + ep, "--publish", "svc/a=tcp://10.0.0.1:1", "-n", "2", "--timeout", "15");
        var client = CliProcess.Run("", Exit, "gossip", ep, "--publish", "svc/b=two", "--publish", "tab=x\ty", "-n", "1", "--timeout", "15");
        Assert.True(client.ExitCode == 0, client.ToString());
        Assert.Equal(["svc/a\ttcp://10.0.0.1:1"], client.Stdout); // its own tuples are not printed
        var r = server.WaitForExit(Exit);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(2, r.Stdout.Count);
        Assert.Contains("svc/b\ttwo", r.Stdout);
        Assert.Contains($"tab\t0x{Convert.ToHexStringLower("x\ty"u8)}", r.Stdout); // a TAB in a value: hex, as cat
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Nothing_new_within_the_timeout_is_one_line_and_exit_1()
    {
        var r = CliProcess.Run("", Exit, "gossip", "@" + PyPeer.FreeTcpEndpoint(), "--timeout", "0.3");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Single(r.StderrLines);
        Assert.Contains("--timeout", r.Stderr);
    }

    [Theory]
    [InlineData("--publish", "novalue", "--publish")]
    [InlineData("--publish", "=x", "--publish")]
    [InlineData("--publish", "k=", "empty")]
    [InlineData("-n", "0", "--count")]
    [InlineData("--timeout", "soon", "--timeout")]
    [InlineData("--bogus", "x", "--bogus")]
    public void Usage_errors_are_one_line_and_exit_2(string option, string value, string named)
    {
        var r = CliProcess.Run("", Exit, "gossip", "@tcp://127.0.0.1:5999", option, value);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Single(r.StderrLines);
        Assert.Contains(named, r.Stderr);
    }

    [Fact]
    public void A_key_over_255_bytes_and_a_bad_endpoint_are_usage_errors()
    {
        var r = CliProcess.Run("", Exit, "gossip", "@tcp://127.0.0.1:5999", "--publish", new string('k', 256) + "=v");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("255", r.Stderr);
        r = CliProcess.Run("", Exit, "gossip", "udp://127.0.0.1:5999");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Single(r.StderrLines);
    }
}
