using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Zmq.Tests.Infrastructure;
using Zmq.Toolkit;

namespace Zmq.Hosting.Tests;

/// <summary>Stopping honours each socket's linger, never beyond the host's shutdown timeout.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task An_infinite_linger_to_an_absent_peer_does_not_hold_the_host_past_its_shutdown_timeout()
    {
        var logs = new LogSink();
        var timeout = TimeSpan.FromSeconds(1);
        var builder = TestHosts.Builder(shutdownTimeout: timeout, logs: logs);
        builder.Services.AddZmqSocket<PushSocket>("stuck", o =>
        {
            o.Endpoints.Add($">{TestHosts.Tcp(Ports.Free())}"); // nobody listens there, ever
            o.Linger = Timeout.InfiniteTimeSpan;
        });
        using var host = await TestHosts.StartAsync(builder);
        var push = host.Services.GetRequiredKeyedService<PushSocket>("stuck");
        push.SendString("never delivered"); // queued for the connect-side peer

        var clock = Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        clock.Stop();
        Assert.True(clock.Elapsed < timeout + TimeSpan.FromSeconds(1), $"the host took {clock.Elapsed} to stop (shutdown timeout {timeout})");
        Assert.True(push.IsDisposed);
        // The core's own report of what the cut linger dropped reached the host's logger.
        Assert.True(logs.Has("Zmq.Socket", "linger expired with 1 message(s) undelivered"), logs.ToString());
        Assert.True(logs.Has("Zmq.Hosting", "Zmq socket 'stuck': linger infinite cut to"), logs.ToString());
    }

    [Fact]
    public async Task A_peer_that_comes_during_the_linger_still_gets_the_queued_messages()
    {
        int port = Ports.Free();
        var builder = TestHosts.Builder(shutdownTimeout: TimeSpan.FromSeconds(10));
        builder.Services.AddZmqSocket<PushSocket>("out", o =>
        {
            o.Endpoints.Add($">{TestHosts.Tcp(port)}");
            o.Linger = TimeSpan.FromSeconds(8);
            o.ReconnectInterval = TimeSpan.FromMilliseconds(20);
        });
        using var host = await TestHosts.StartAsync(builder);
        var push = host.Services.GetRequiredKeyedService<PushSocket>("out");
        for (int i = 0; i < 5; i++) push.SendString($"m{i}");

        var stopping = host.StopAsync();
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted, "the stop did not wait for the linger");
        using var pull = new PullSocket($"@{TestHosts.Tcp(port)}");
        for (int i = 0; i < 5; i++)
        {
            Assert.True(pull.TryReceive(TestHosts.Limit, out var m), $"message {i} was not delivered");
            using (m) Assert.Equal($"m{i}", m.GetString(0));
        }
        await stopping.WaitAsync(TestHosts.Limit);
    }

    [Fact]
    public async Task An_actor_that_ignores_term_does_not_hold_the_host()
    {
        using var release = new ManualResetEventSlim();
        var builder = TestHosts.Builder(shutdownTimeout: TimeSpan.FromSeconds(1));
        builder.Services.AddZmqActor("deaf", pipe =>
        {
            pipe.Signal();
            release.Wait(TimeSpan.FromSeconds(30)); // never reads $TERM
        }, terminateTimeout: TimeSpan.FromSeconds(30));
        using var host = await TestHosts.StartAsync(builder);
        var clock = Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the host took {clock.Elapsed} to stop");
        release.Set();
    }

    [Fact]
    public async Task Sockets_close_only_after_the_hosted_services_have_stopped()
    {
        var builder = TestHosts.Builder();
        // Registered before the Zmq services, so the host stops it after theirs: its socket is still open in its StopAsync.
        var service = new SendsOnStop();
        builder.Services.AddHostedService(sp => service.With(sp.GetRequiredService<IZmqSockets>()));
        builder.Services.AddZmqSocket<PushSocket>("out", o =>
        {
            o.Endpoints.Add($">inproc://late-{Guid.NewGuid():N}");
            o.Linger = TimeSpan.Zero;
        });
        using var host = await TestHosts.StartAsync(builder);
        await host.StopAsync().WaitAsync(TestHosts.Limit);
        Assert.Null(service.Failure);
        Assert.True(service.Sent);
    }

    private sealed class SendsOnStop : IHostedService
    {
        private IZmqSockets? _sockets;

        public bool Sent { get; private set; }

        public Exception? Failure { get; private set; }

        public SendsOnStop With(IZmqSockets sockets)
        {
            _sockets = sockets;
            return this;
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            try
            {
                _sockets!.Get("out").SendString("goodbye");
                Sent = true;
            }
            catch (Exception e)
            {
                Failure = e;
            }
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Logs_go_to_the_hosts_logger_factory()
    {
        var logs = new LogSink();
        var builder = TestHosts.Builder(logs: logs);
        builder.Services.AddZmqSocket<PushSocket>("out", o =>
        {
            o.Endpoints.Add($">{TestHosts.Tcp(Ports.Free())}");
            o.Linger = TimeSpan.FromMilliseconds(50);
        });
        builder.Services.AddZmqActor("fails", pipe =>
        {
            pipe.Signal();
            pipe.ReceiveString();
            throw new InvalidOperationException("the actor's own failure");
        });
        using var host = await TestHosts.StartAsync(builder);
        Assert.True(logs.Has("Zmq.Hosting", "Zmq socket 'out' (PUSH) attached: tcp://127.0.0.1:"), logs.ToString());
        Assert.Same(host.Services.GetRequiredService<ILoggerFactory>(), host.Services.GetRequiredService<Context>().LoggerFactory);
        host.Services.GetRequiredKeyedService<Actor>("fails").Send("go");
        Wait.Until(() => logs.Has("Zmq.Toolkit.Actor", "actor handler failed"), "the actor's failure is logged");
        host.Services.GetRequiredKeyedService<PushSocket>("out").SendString("dropped");
        await host.StopAsync().WaitAsync(TestHosts.Limit);
        Assert.Contains(logs.Entries, e => e.Category == "Zmq.Socket" && e.Level == LogLevel.Warning && e.Message.Contains("linger expired", StringComparison.Ordinal));
        Assert.True(logs.Has("Zmq.Hosting", "Zmq: closed 1 socket(s) and 1 actor(s)"), logs.ToString());
    }
}
