using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Zmq.Hosting;

/// <summary>
/// Starts the host's Zmq objects before any hosted service starts and closes them after every
/// hosted service has stopped (so workers never lose their sockets while they still run), within
/// what is left of <see cref="HostOptions.ShutdownTimeout"/> and never past the stop's token.
/// </summary>
internal sealed class ZmqHostedService(ZmqRuntime runtime, IOptions<HostOptions> hostOptions, ILoggerFactory loggerFactory) : IHostedLifecycleService
{
    private readonly ILogger _log = loggerFactory.CreateLogger("Zmq.Hosting");
    private long _stoppingAt;

    /// <summary>What a close at the end of a stop may take: the shutdown timeout less what the stop used, less a margin for the rest of the host's stop.</summary>
    internal TimeSpan Budget()
    {
        var timeout = hostOptions.Value.ShutdownTimeout;
        if (timeout == Timeout.InfiniteTimeSpan) return Timeout.InfiniteTimeSpan;
        var used = _stoppingAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_stoppingAt);
        var margin = TimeSpan.FromTicks(Math.Min(timeout.Ticks / 10, TimeSpan.FromMilliseconds(500).Ticks));
        var left = timeout - used - margin;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        runtime.StartAll();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stoppingAt = Stopwatch.GetTimestamp();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        var budget = Budget();
        // Closing blocks while lingers run: on a thread of its own, awaited no longer than the stop allows.
        var close = Task.Factory.StartNew(() => runtime.Shutdown(budget), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await close.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            HostingLog.CloseTimedOut(_log);
        }
    }
}
