using System.Diagnostics;

namespace Zmq.Interop.Tests;

/// <summary>
/// A libzmq peer in another process (pyzmq on Debian's libzmq5, run with /usr/bin/python3), for
/// what an in-process peer cannot show: a peer killed with SIGKILL, or frozen with SIGSTOP while
/// its TCP connection stays open. Skips (fails under CI=true) when pyzmq is missing.
/// </summary>
internal sealed class PyZmqPeer : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly object _gate = new();

    private PyZmqPeer(string script)
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
            lock (_gate)
            {
                _lines.Add(e.Data);
                Monitor.PulseAll(_gate);
            }
        };
        _process.BeginOutputReadLine();
    }

    public static void Require()
    {
        bool ok = File.Exists(Python) && Run($"{Python} -c \"import zmq\"") == 0;
        if (ok) return;
        const string reason = "pyzmq not found: apt-get install python3-zmq";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(reason + ". CI=true, so a skip counts as a failure.");
        Skip.If(true, reason);
    }

    private static int Run(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command + " >/dev/null 2>&1"]))!;
        return p.WaitForExit(10_000) ? p.ExitCode : -1;
    }

    /// <summary>A PULL bound to <paramref name="endpoint"/> that prints "ready" and then each message it receives.</summary>
    public static PyZmqPeer PullBound(string endpoint) => new($"""
        import zmq, sys
        c = zmq.Context(); s = c.socket(zmq.PULL); s.setsockopt(zmq.LINGER, 0)
        s.bind("{endpoint}"); print("ready", flush=True)
        while True:
            print(s.recv().decode(), flush=True)
        """);

    /// <summary>A PUSH connected to <paramref name="endpoint"/> that sends "hello" once, then idles (with libzmq heartbeats when asked).</summary>
    public static PyZmqPeer PushConnected(string endpoint, int heartbeatIvlMs = 0) => new($"""
        import zmq, time
        c = zmq.Context(); s = c.socket(zmq.PUSH); s.setsockopt(zmq.LINGER, 0)
        if {heartbeatIvlMs} > 0: s.setsockopt(zmq.HEARTBEAT_IVL, {heartbeatIvlMs})
        s.connect("{endpoint}"); s.send(b"hello"); print("sent", flush=True)
        time.sleep(60)
        """);

    /// <summary>Waits until the peer printed <paramref name="line"/>; false after the time-out.</summary>
    public bool WaitFor(string line, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        lock (_gate)
        {
            while (!_lines.Contains(line))
            {
                var left = timeout - sw.Elapsed;
                if (left <= TimeSpan.Zero || _process.HasExited && !_lines.Contains(line)) return _lines.Contains(line);
                Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
            }
            return true;
        }
    }

    public void Signal(string name) => Run($"kill -{name} {_process.Id}");

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Signal("CONT");
        Kill();
        _process.Dispose();
    }
}
