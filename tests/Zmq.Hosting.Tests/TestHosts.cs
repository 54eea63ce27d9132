using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Zmq.Hosting.Tests;

/// <summary>Hosts as an application builds them, without the defaults that would read the machine's files and environment.</summary>
internal static class TestHosts
{
    /// <summary>Every wait of these tests is bounded by this (or less).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static HostApplicationBuilder Builder(IDictionary<string, string?>? config = null, TimeSpan? shutdownTimeout = null, LogSink? logs = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (config is not null) builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddLogging(l =>
        {
            l.SetMinimumLevel(LogLevel.Debug);
            if (logs is not null) l.AddProvider(logs);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>Builds and starts; the caller stops and disposes.</summary>
    public static async Task<IHost> StartAsync(HostApplicationBuilder builder)
    {
        var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(Limit);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    /// <summary>The host's start fails: every message of the exception and its inner ones, joined.</summary>
    public static async Task<string> StartFailsAsync(HostApplicationBuilder builder)
    {
        using var host = builder.Build();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync().WaitAsync(Limit));
        Assert.IsNotType<TimeoutException>(e);
        return AllMessages(e);
    }

    public static string AllMessages(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) parts.Add(x.Message);
        if (e is AggregateException a) parts.AddRange(a.InnerExceptions.Select(AllMessages));
        return string.Join(" | ", parts);
    }

    /// <summary>A loopback tcp endpoint.</summary>
    public static string Tcp(int port) => $"tcp://127.0.0.1:{port}";
}

/// <summary>Collects what is logged through the host's logger factory.</summary>
internal sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    public bool Has(string category, string fragment) =>
        Entries.Any(e => e.Category == category && e.Message.Contains(fragment, StringComparison.Ordinal));

    public override string ToString() => string.Join("\n", Entries.Select(e => $"{e.Level} {e.Category}: {e.Message}"));

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Entries.Enqueue((category, logLevel, formatter(state, exception)));
    }
}
