namespace Zmq.Cli.Tests;

/// <summary>Tab completion: the bash function and the words it gets from <c>zmq __complete</c>.</summary>
public sealed class CompletionTests
{
    [Fact]
    public void Completes_verbs_options_and_socket_types()
    {
        Assert.Contains("bench", CliProcess.Run("", "__complete", "").Stdout);
        Assert.Contains("keygen", CliProcess.Run("", "__complete", "ke").Stdout);
        Assert.Contains("--curve", CliProcess.Run("", "__complete", "bench", "thr", "--c").Stdout);
        var types = CliProcess.Run("", "__complete", "cat", "pu").Stdout;
        Assert.Contains("push", types);
        Assert.Contains("pull", types);
        Assert.Contains("pub", types);
    }

    [Fact]
    public void Bash_script_registers_a_completion_function_for_zmq()
    {
        var r = CliProcess.Run("", "completion", "bash");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(r.Stdout, l => l.StartsWith("complete -o default -F _zmq_complete zmq", StringComparison.Ordinal));
        Assert.Equal(2, CliProcess.Run("", "completion", "tcsh").ExitCode);
    }
}
