using Spectre.Console;

namespace Zmq.Cli.Bench;

/// <summary>
/// A progress bar on a terminal while a benchmark loop runs (Spectre.Console, refreshed by its own
/// thread from <see cref="Done"/>), nothing when stdout is piped or --json is given. The loop only
/// stores a counter per message.
/// </summary>
internal sealed class BenchProgress : IDisposable
{
    private static readonly BenchProgress None = new(0);
    private readonly long _total;
    private Thread? _thread;
    private volatile bool _stop;

    private BenchProgress(long total) => _total = total;

    /// <summary>Messages (or round trips) done so far; written by the measuring loop.</summary>
    public long Done;

    public static BenchProgress Start(BenchSettings a, string what)
    {
        if (a.Json || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive) return None;
        var p = new BenchProgress(a.Count);
        p._thread = new Thread(() => p.Show(what)) { IsBackground = true, Name = "bench-progress" };
        p._thread.Start();
        return p;
    }

    private void Show(string what)
    {
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(what, maxValue: _total);
                while (!_stop)
                {
                    task.Value = Volatile.Read(ref Done);
                    Thread.Sleep(100);
                }
                task.Value = _total;
            });
    }

    public void Dispose()
    {
        if (_thread is null || _stop) return;
        _stop = true;
        _thread.Join(2000);
    }
}
