namespace Zmq.Cli.Tests;

/// <summary>The tool starts, answers --help and reports a usage error with exit 2.</summary>
public sealed class SmokeTests
{
    [Fact]
    public void Help_exits_0_and_lists_the_verbs()
    {
        var r = CliProcess.Run("", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(r.Stdout, l => l.Contains("doctor", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_verb_is_a_usage_error()
    {
        var r = CliProcess.Run("", "frobnicate");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("frobnicate", r.Stderr);
    }
}
