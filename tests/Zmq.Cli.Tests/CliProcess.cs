using System.Diagnostics;
using System.Text;

namespace Zmq.Cli.Tests;

/// <summary>
/// One run of the <c>zmq</c> tool as a child process (the Zmq.Cli.dll built next to this test
/// assembly, started with the same dotnet host): write its stdin, read stdout line by line as it
/// arrives, collect stderr, wait for its exit. Every wait is bounded; Dispose kills a process that
/// is still running.
/// </summary>
public sealed class CliProcess : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly System.Collections.Concurrent.BlockingCollection<string> _lines = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { _lines.CompleteAdding(); _stdoutClosed.TrySetResult(); }
            else _lines.Add(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Path of the tool's assembly.</summary>
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "Zmq.Cli.dll");

    /// <summary>Starts <c>zmq ARGS...</c>.</summary>
    public static CliProcess Start(params string[] args)
    {
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new CliProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start the zmq tool"));
    }

    /// <summary>Runs <c>zmq ARGS...</c> with <paramref name="stdin"/> as its whole input and waits for it to exit.</summary>
    public static CliResult Run(string stdin, params string[] args) => Run(stdin, DefaultWait, args);

    /// <summary>As <see cref="Run(string, string[])"/> with an explicit bound on the run.</summary>
    public static CliResult Run(string stdin, TimeSpan wait, params string[] args)
    {
        using var p = Start(args);
        p.Write(stdin);
        p.CloseInput();
        return p.WaitForExit(wait);
    }

    public int Id => _process.Id;

    /// <summary>Writes text to stdin as it is (add the newlines yourself).</summary>
    public void Write(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Flush();
    }

    /// <summary>Writes one line to stdin.</summary>
    public void WriteLine(string line) => Write(line + "\n");

    /// <summary>Closes stdin (EOF).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>The next stdout line, or null when none arrives within the wait (or stdout closed).</summary>
    public string? ReadLine(TimeSpan? wait = null) =>
        _lines.TryTake(out var line, wait ?? DefaultWait) ? line : null;

    /// <summary>Everything written to stderr so far.</summary>
    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>Sends SIGTERM (Unix) so the tool can close cleanly.</summary>
    public void Terminate()
    {
        if (OperatingSystem.IsWindows()) _process.Kill();
        else Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit(5000);
    }

    /// <summary>Waits for the exit (killing the process and failing if it does not come), then collects the rest of the output.</summary>
    public CliResult WaitForExit(TimeSpan? wait = null)
    {
        if (!_process.WaitForExit(wait ?? DefaultWait))
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"zmq did not exit within {(wait ?? DefaultWait).TotalSeconds} s; stderr so far:\n{Stderr}");
        }
        _process.WaitForExit(); // drains the asynchronous output readers
        _stdoutClosed.Task.Wait(TimeSpan.FromSeconds(5));
        var rest = new List<string>();
        while (_lines.TryTake(out var l)) rest.Add(l);
        return new CliResult(_process.ExitCode, rest, Stderr);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? p
            : "dotnet";
}

/// <summary>How a run ended: exit code, the stdout lines not read yet, and all of stderr.</summary>
public sealed record CliResult(int ExitCode, IReadOnlyList<string> Stdout, string Stderr)
{
    /// <summary>The stderr lines, without blank ones.</summary>
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}; stdout: [{string.Join(" | ", Stdout)}]; stderr: {Stderr}";
}
