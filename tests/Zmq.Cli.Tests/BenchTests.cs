using System.Text.Json;

namespace Zmq.Cli.Tests;

/// <summary><c>zmq bench</c> as a user runs it: both sides in one process by default, JSON last line, usage errors exit 2.</summary>
public sealed class BenchTests
{
    [Theory]
    [InlineData("thr", "tcp", false)]
    [InlineData("thr", "ipc", true)]
    [InlineData("thr", "inproc", false)]
    [InlineData("lat", "tcp", true)]
    [InlineData("lat", "ipc", false)]
    [InlineData("lat", "inproc", false)]
    public void One_process_run_ends_with_the_json_line(string mode, string transport, bool curve)
    {
        var args = new List<string> { "bench", mode, "--transport", transport, "--size", "100", "--count", mode == "thr" ? "5000" : "300", "--json" };
        if (curve) args.Add("--curve");
        var r = CliProcess.Run("", TimeSpan.FromSeconds(60), [.. args]);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.Stdout[^1]);
        var root = json.RootElement;
        Assert.Equal("zmq", root.GetProperty("lib").GetString());
        Assert.Equal(mode, root.GetProperty("mode").GetString());
        Assert.Equal(transport, root.GetProperty("transport").GetString());
        Assert.Equal(curve, root.GetProperty("curve").GetBoolean());
        if (mode == "thr")
        {
            Assert.True(root.GetProperty("msgs_per_s").GetDouble() > 0);
            Assert.True(root.GetProperty("mbit_per_s").GetDouble() > 0);
        }
        else
        {
            Assert.True(root.GetProperty("mean_us").GetDouble() > 0);
            Assert.True(root.GetProperty("p99_rt_us").GetDouble() >= root.GetProperty("p50_rt_us").GetDouble());
        }
    }

    [Fact]
    public void Two_processes_bind_and_connect_over_tcp_with_curve()
    {
        int port = FreePort();
        using var receiver = CliProcess.Start("bench", "thr", "--bind", $"tcp://127.0.0.1:{port}", "--size", "64", "--count", "3000", "--curve", "--json");
        var sender = CliProcess.Run("", TimeSpan.FromSeconds(60), "bench", "thr", "--connect", $"tcp://127.0.0.1:{port}", "--size", "64", "--count", "3000", "--curve");
        Assert.True(sender.ExitCode == 0, sender.ToString());
        var r = receiver.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("\"curve\":true", r.Stdout[^1]);
    }

    [Theory]
    [InlineData("inproc", "--recv-adapter", "enumerable", "recv:enumerable")]
    [InlineData("inproc", "--recv-adapter", "channel", "recv:channel")]
    [InlineData("tcp", "--recv-adapter", "stream", "recv:stream")]
    [InlineData("inproc", "--send-adapter", "channel", "send:channel")]
    [InlineData("tcp", "--send-adapter", "stream", "send:stream")]
    public void Thr_through_a_toolkit_adapter_names_it_in_the_json_line(string transport, string option, string adapter, string label)
    {
        var r = CliProcess.Run("", TimeSpan.FromSeconds(60), "bench", "thr", "--transport", transport, "--size", "64", "--count", "20000", "--warmup", "1000", option, adapter, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var json = JsonDocument.Parse(r.Stdout[^1]);
        Assert.Equal(label, json.RootElement.GetProperty("adapter").GetString());
        Assert.True(json.RootElement.GetProperty("msgs_per_s").GetDouble() > 0);
    }

    [Fact]
    public void Two_processes_with_an_adapter_on_each_side()
    {
        int port = FreePort();
        using var receiver = CliProcess.Start("bench", "thr", "--bind", $"tcp://127.0.0.1:{port}", "--size", "64", "--count", "3000", "--recv-adapter", "channel", "--json");
        var sender = CliProcess.Run("", TimeSpan.FromSeconds(60), "bench", "thr", "--connect", $"tcp://127.0.0.1:{port}", "--size", "64", "--count", "3000", "--send-adapter", "stream");
        Assert.True(sender.ExitCode == 0, sender.ToString());
        var r = receiver.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("\"adapter\":\"recv:channel\"", r.Stdout[^1]);
    }

    [Theory]
    [InlineData("thr --transport inproc --curve --size 1 --count 1", "inproc carries no security")]
    [InlineData("thr --recv-adapter pipe --size 1 --count 1", "--recv-adapter 'pipe' is not one of")]
    [InlineData("thr --send-adapter enumerable --size 1 --count 1", "--send-adapter 'enumerable' is not one of")]
    [InlineData("thr --connect tcp://127.0.0.1:5 --recv-adapter channel --size 1 --count 1", "--recv-adapter is for the receiving side")]
    [InlineData("thr --bind tcp://127.0.0.1:5 --send-adapter channel --size 1 --count 1", "--send-adapter is for the sending side")]
    [InlineData("thr --recv-adapter stream --size 0 --count 1", "the stream adapter needs --size 1 or more")]
    [InlineData("lat --recv-adapter channel --size 1 --count 1", "--recv-adapter")]
    [InlineData("thr --warmup -1 --size 1 --count 1", "--warmup must be 0 or more")]
    [InlineData("thr --transport udp --size 1 --count 1", "udp")]
    [InlineData("lat --bind tcp://127.0.0.1:5 --connect tcp://127.0.0.1:5 --size 1 --count 1", "--bind")]
    [InlineData("thr --bind inproc://x --size 1 --count 1", "inproc:// cannot cross processes")]
    [InlineData("thr --size -1 --count 1", "--size")]
    [InlineData("thr --size 1", "--count")]
    public void Bad_usage_exits_2_naming_the_problem(string args, string named)
    {
        var r = CliProcess.Run("", ["bench", .. args.Split(' ')]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(named, r.Stderr);
    }

    private static int FreePort() => Zmq.Tests.Infrastructure.Ports.Free();
}
