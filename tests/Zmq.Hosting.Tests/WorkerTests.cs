using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zmq.Tests.Infrastructure;
using Zmq.Toolkit;

namespace Zmq.Hosting.Tests;

/// <summary>Hosted workers and actors serving sockets over tcp, as a service would.</summary>
public sealed class WorkerTests
{
    [Fact]
    public async Task A_delegate_worker_receives_and_replies_over_tcp()
    {
        int port = Ports.Free();
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Zmq:Sockets:requests:Type"] = "Rep",
            ["Zmq:Sockets:requests:Endpoints"] = $"@{TestHosts.Tcp(port)}",
            ["Zmq:Sockets:requests:Linger"] = "1s",
        });
        builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
        builder.Services.AddZmqWorker("requests", (request, socket, ct) => socket.SendStringAsync(request.GetString(0).ToUpperInvariant(), ct));
        using var host = await TestHosts.StartAsync(builder);

        using var client = new ReqSocket($">{TestHosts.Tcp(port)}");
        for (int i = 0; i < 3; i++)
        {
            await client.SendStringAsync($"hello {i}").AsTask().WaitAsync(TestHosts.Limit);
            Assert.Equal($"HELLO {i}", await client.ReceiveStringAsync().AsTask().WaitAsync(TestHosts.Limit));
        }
        await host.StopAsync().WaitAsync(TestHosts.Limit);
    }

    private sealed class Summer([FromKeyedServices("sums")] RepSocket socket) : ZmqWorker(socket)
    {
        protected override ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
        {
            int sum = 0;
            for (int i = 0; i < message.Count; i++) sum += int.Parse(message.GetString(i), System.Globalization.CultureInfo.InvariantCulture);
            return Socket.SendStringAsync(sum.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }
    }

    [Fact]
    public async Task A_worker_class_gets_its_socket_as_a_keyed_service()
    {
        int port = Ports.Free();
        var builder = TestHosts.Builder();
        builder.Services.AddZmqSocket<RepSocket>("sums", o => o.Endpoints.Add($"@{TestHosts.Tcp(port)}"));
        builder.Services.AddHostedService<Summer>();
        using var host = await TestHosts.StartAsync(builder);

        using var client = new ReqSocket($">{TestHosts.Tcp(port)}");
        client.SendFrames("1", "2", "39");
        Assert.True(client.TryReceive(TestHosts.Limit, out var reply));
        using (reply) Assert.Equal("42", reply.GetString(0));
        await host.StopAsync().WaitAsync(TestHosts.Limit);
    }

    [Fact]
    public async Task A_worker_stops_with_the_host_while_waiting_for_a_message()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddZmqSocket<PullSocket>("idle", o => o.Endpoints.Add($"@inproc://idle-{Guid.NewGuid():N}"));
        int handled = 0;
        builder.Services.AddZmqWorker("idle", (_, _, _) =>
        {
            Interlocked.Increment(ref handled);
            return ValueTask.CompletedTask;
        });
        using var host = await TestHosts.StartAsync(builder);
        var pull = host.Services.GetRequiredKeyedService<PullSocket>("idle");
        var stop = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(TestHosts.Limit);
        Assert.True(stop.Elapsed < TimeSpan.FromSeconds(2), $"stopping took {stop.Elapsed}");
        Assert.Equal(0, handled);
        Assert.True(pull.IsDisposed);
    }

    [Fact]
    public async Task A_hosted_actor_starts_with_the_host_answers_and_ends_with_it()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddZmqActor("echo", pipe =>
        {
            pipe.Signal();
            while (pipe.ReceiveString() is var command && command != Actor.Term) pipe.SendString("echo " + command);
        });
        using var host = await TestHosts.StartAsync(builder);
        var actor = host.Services.GetRequiredKeyedService<Actor>("echo");
        actor.Send("hi");
        Assert.Equal("echo hi", actor.Receive(TestHosts.Limit));
        await host.StopAsync().WaitAsync(TestHosts.Limit);
        Assert.True(Wait.For(() => actor.HasEnded, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task The_authenticator_from_configuration_admits_only_trusted_curve_clients()
    {
        var dir = Directory.CreateTempSubdirectory("zmq-hosting-auth-");
        try
        {
            var server = CurveKeyPair.Generate();
            var trusted = Certificate.Generate();
            trusted.SavePublic(Path.Combine(dir.FullName, "trusted.crt"));
            int port = Ports.Free();
            var builder = TestHosts.Builder(new Dictionary<string, string?>
            {
                ["Zmq:Authenticator:CurveCertificates"] = dir.FullName,
                ["Zmq:Sockets:inbox:Type"] = "Pull",
                ["Zmq:Sockets:inbox:Endpoints"] = $"@{TestHosts.Tcp(port)}",
                ["Zmq:Sockets:inbox:Curve:Server"] = "true",
                ["Zmq:Sockets:inbox:Curve:SecretKey"] = server.SecretKeyZ85,
            });
            builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
            using var host = await TestHosts.StartAsync(builder);
            var inbox = host.Services.GetRequiredKeyedService<PullSocket>("inbox");

            using var stranger = new PushSocket(configure: s => s.MakeCurveClient(server.PublicKey)) { Linger = TimeSpan.Zero };
            stranger.Connect(TestHosts.Tcp(port));
            stranger.SendString("from a stranger");
            using var friend = new PushSocket(configure: s => s.MakeCurveClient(server.PublicKey, trusted.KeyPair)) { Linger = TimeSpan.Zero };
            friend.Connect(TestHosts.Tcp(port));
            friend.SendString("from a friend");

            Assert.True(inbox.TryReceive(TestHosts.Limit, out var m));
            using (m) Assert.Equal("from a friend", m.GetString(0));
            Assert.False(inbox.TryReceive(TimeSpan.FromMilliseconds(300), out _));
            await host.StopAsync().WaitAsync(TestHosts.Limit);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
