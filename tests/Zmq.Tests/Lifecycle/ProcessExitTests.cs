using System.Diagnostics;

namespace Zmq.Tests.Lifecycle;

/// <summary>The library's own threads are background threads: undisposed sockets never keep a process alive.</summary>
public sealed class ProcessExitTests
{
    [Fact]
    public void ProcessWithUndisposedBusySockets_ExitsWhenMainReturns()
    {
        // tests/Zmq.Tests/bin/<Config>/net10.0/ -> tests/Zmq.ExitProbe/bin/<Config>/net10.0/Zmq.ExitProbe.dll
        string probe = Path.GetFullPath(AppContext.BaseDirectory.Replace("Zmq.Tests", "Zmq.ExitProbe") + "Zmq.ExitProbe.dll");
        Assert.True(File.Exists(probe), $"exit probe not built at {probe}");
        var psi = new ProcessStartInfo("dotnet", $"exec \"{probe}\"") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        bool exited = p.WaitForExit(20_000);
        if (!exited) p.Kill(entireProcessTree: true);
        Assert.True(exited, "the process did not exit within 20 s of returning from Main: a library thread kept it alive");
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("returning from Main", p.StandardOutput.ReadToEnd());
    }
}
