using System.Diagnostics;

namespace Zmq.Cli.Tests;

/// <summary>
/// A libzmq peer for the doctor, keygen and monitor tests: a pyzmq script (Debian's libzmq5, run
/// with /usr/bin/python3) in its own process, whose stdout lines the test can wait for. Tests call
/// <see cref="Require"/> first: it skips with the reason when pyzmq is missing, and fails under CI=true.
/// </summary>
internal sealed class DoctorPeerScript : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();

    private DoctorPeerScript(string script)
    {
        var psi = new ProcessStartInfo(Python, ["-u", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_gate) _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_gate) _lines.Add("stderr: " + e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static void Require()
    {
        if (File.Exists(Python) && Run(["-c", "import zmq"], out _, out _) == 0) return;
        const string reason = "pyzmq not found: apt-get install python3-zmq";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(reason + ". CI=true, so a skip counts as a failure.");
        Skip.If(true, reason);
    }

    /// <summary>Runs a short python snippet with arguments and returns its trimmed stdout (asserting exit 0).</summary>
    public static string Eval(string code, params string[] args)
    {
        int rc = Run(["-c", code, .. args], out var output, out var errors);
        Assert.True(rc == 0, $"python exited {rc}: {output} {errors}");
        return output.Trim();
    }

    /// <summary>Starts a script; it should print <c>ready ENDPOINT</c> once bound (see <see cref="WaitReady"/>).</summary>
    public static DoctorPeerScript Start(string script) => new(script);

    /// <summary>
    /// A libzmq socket of <paramref name="type"/> (pyzmq constant name) bound to <paramref name="bind"/>,
    /// after <paramref name="setup"/> (python statements on <c>s</c>); prints <c>ready LAST_ENDPOINT</c>, then idles.
    /// </summary>
    public static DoctorPeerScript Bound(string type, string bind, string setup = "") => new($"""
        import zmq, time
        c = zmq.Context(); s = c.socket(zmq.{type}); s.setsockopt(zmq.LINGER, 0)
        {setup}
        s.bind("{bind}"); print("ready " + s.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
        time.sleep(60)
        """);

    /// <summary>Waits for the <c>ready ENDPOINT</c> line and returns the endpoint.</summary>
    public string WaitReady(TimeSpan? timeout = null)
    {
        var line = WaitFor(l => l.StartsWith("ready", StringComparison.Ordinal), timeout ?? TimeSpan.FromSeconds(15));
        return line["ready".Length..].Trim();
    }

    /// <summary>Waits for a stdout line matching <paramref name="match"/>; fails the test after the time-out.</summary>
    public string WaitFor(Func<string, bool> match, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            lock (_gate)
            {
                var hit = _lines.FirstOrDefault(match);
                if (hit is not null) return hit;
            }
            if (sw.Elapsed > timeout || _process.HasExited && sw.Elapsed > TimeSpan.FromSeconds(1))
            {
                lock (_gate) Assert.Fail($"the pyzmq peer did not print the expected line; its output: [{string.Join(" | ", _lines)}]");
            }
            Thread.Sleep(20);
        }
    }

    private static int Run(string[] args, out string output, out string errors)
    {
        var psi = new ProcessStartInfo(Python, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        output = p.StandardOutput.ReadToEnd();
        bool exited = p.WaitForExit(15_000);
        if (!exited) p.Kill(entireProcessTree: true);
        errors = stderr.Wait(5000) ? stderr.Result : "";
        return exited ? p.ExitCode : -1;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
