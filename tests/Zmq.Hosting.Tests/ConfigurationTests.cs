using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zmq.Tests.Infrastructure;

namespace Zmq.Hosting.Tests;

/// <summary>Socket options bound from configuration: in memory, and JSON overridden by environment variables.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task In_memory_configuration_binds_type_endpoints_hwms_times_and_subscriptions()
    {
        int port = Ports.Free();
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Zmq:IoThreads"] = "2",
            ["Zmq:Sockets:updates:Type"] = "sub",
            ["Zmq:Sockets:updates:Endpoints"] = $">{TestHosts.Tcp(port)}",
            ["Zmq:Sockets:updates:SendHighWatermark"] = "10",
            ["Zmq:Sockets:updates:ReceiveHighWatermark"] = "20000",
            ["Zmq:Sockets:updates:Linger"] = "250ms",
            ["Zmq:Sockets:updates:HeartbeatInterval"] = "2s",
            ["Zmq:Sockets:updates:HeartbeatTtl"] = "00:00:06",
            ["Zmq:Sockets:updates:HeartbeatTimeout"] = "3000",
            ["Zmq:Sockets:updates:ReconnectInterval"] = "50",
            ["Zmq:Sockets:updates:ReconnectIntervalMax"] = "1m",
            ["Zmq:Sockets:updates:MaxMessageSize"] = "65536",
            ["Zmq:Sockets:updates:RoutingId"] = "sub-1",
            ["Zmq:Sockets:updates:Subscribe:0"] = "weather.",
            ["Zmq:Sockets:updates:Subscribe:1"] = "news.",
            ["Zmq:Sockets:updates:Conflate"] = "false",
            ["Zmq:Sockets:updates:ZMQ_TCP_KEEPALIVE"] = "1",
        });
        builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
        using var host = await TestHosts.StartAsync(builder);

        var sub = host.Services.GetRequiredKeyedService<SubSocket>("updates");
        Assert.Same(sub, host.Services.GetRequiredKeyedService<Socket>("updates"));
        Assert.Same(sub, host.Services.GetRequiredService<IZmqSockets>().Get("UPDATES"));
        Assert.Equal(["updates"], host.Services.GetRequiredService<IZmqSockets>().Names);
        Assert.Same(host.Services.GetRequiredService<Context>(), sub.Context);
        Assert.Equal(2, sub.Context.IoThreads);
        Assert.Equal(10, sub.SendHighWatermark);
        Assert.Equal(20000, sub.ReceiveHighWatermark);
        Assert.Equal(TimeSpan.FromMilliseconds(250), sub.Linger);
        Assert.Equal(TimeSpan.FromSeconds(2), sub.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(6), sub.HeartbeatTtl);
        Assert.Equal(TimeSpan.FromSeconds(3), sub.HeartbeatTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), sub.ReconnectInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), sub.ReconnectIntervalMax);
        Assert.Equal(65536, sub.MaxMessageSize);
        Assert.Equal("sub-1"u8.ToArray(), sub.RoutingId);
        Assert.Equal(1, sub.TcpKeepalive);
        Assert.Equal(TestHosts.Tcp(port), sub.LastEndpoint);

        // The subscriptions reach a publisher: only the subscribed topics arrive.
        using var pub = new PubSocket();
        pub.Bind(TestHosts.Tcp(port));
        var deadline = DateTime.UtcNow + TestHosts.Limit;
        string? got = null;
        while (got is null && DateTime.UtcNow < deadline)
        {
            pub.SendString("sports.ignored");
            pub.SendString("weather.rain");
            if (sub.TryReceive(TimeSpan.FromMilliseconds(50), out var m))
                using (m) got = m.GetString(0);
        }
        Assert.Equal("weather.rain", got);
        await host.StopAsync().WaitAsync(TestHosts.Limit);
    }

    [Fact]
    public async Task Json_file_with_environment_overrides_binds_curve_keys_and_hwms()
    {
        var server = CurveKeyPair.Generate();
        int port = Ports.Free();
        var dir = Directory.CreateTempSubdirectory("zmq-hosting-");
        try
        {
            string json = Path.Combine(dir.FullName, "appsettings.json");
            File.WriteAllText(json, $$"""
            {
              "Zmq": {
                "Sockets": {
                  "inbox": {
                    "Type": "Pull",
                    "Endpoints": [ "@tcp://127.0.0.1:1" ],
                    "ReceiveHighWatermark": 5,
                    "Linger": 0,
                    "Curve": { "Server": true, "SecretKey": "{{server.SecretKeyZ85}}" }
                  },
                  "outbox": {
                    "Type": "Push",
                    "Endpoints": ">tcp://127.0.0.1:1",
                    "SendHighWatermark": 7,
                    "Curve": { "ServerKey": "(set from the environment)" }
                  }
                }
              }
            }
            """);
            // Environment variables, as a deployment overrides appsettings.json (a prefix of this test's own).
            string prefix = $"ZMQTEST_{Guid.NewGuid():N}_";
            var env = new Dictionary<string, string>
            {
                [prefix + "Zmq__Sockets__inbox__Endpoints__0"] = $"@{TestHosts.Tcp(port)}",
                [prefix + "Zmq__Sockets__inbox__ReceiveHighWatermark"] = "50",
                [prefix + "Zmq__Sockets__outbox__Endpoints"] = $">{TestHosts.Tcp(port)}",
                [prefix + "Zmq__Sockets__outbox__Curve__ServerKey"] = server.PublicKeyZ85,
            };
            foreach (var (k, v) in env) Environment.SetEnvironmentVariable(k, v);
            try
            {
                var builder = TestHosts.Builder();
                builder.Configuration.AddJsonFile(json).AddEnvironmentVariables(prefix);
                builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
                using var host = await TestHosts.StartAsync(builder);

                var inbox = host.Services.GetRequiredKeyedService<PullSocket>("inbox");
                var outbox = host.Services.GetRequiredKeyedService<PushSocket>("outbox");
                Assert.Equal(50, inbox.ReceiveHighWatermark);
                Assert.Equal(7, outbox.SendHighWatermark);
                Assert.Equal(TimeSpan.Zero, inbox.Linger);
                Assert.True(inbox.CurveServer);
                Assert.Equal(server.PublicKey, inbox.CurvePublicKey);
                Assert.Equal(SecurityMechanism.Curve, outbox.Mechanism);
                Assert.False(outbox.IsSecurityServer);
                Assert.Equal(server.PublicKey, outbox.CurveServerKey);

                // The keys work: a message crosses the encrypted connection.
                outbox.SendString("sealed");
                Assert.True(inbox.TryReceive(TestHosts.Limit, out var m));
                using (m) Assert.Equal("sealed", m.GetString(0));
                await host.StopAsync().WaitAsync(TestHosts.Limit);
            }
            finally
            {
                foreach (var k in env.Keys) Environment.SetEnvironmentVariable(k, null);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Curve_certificate_files_configure_a_server_and_its_client()
    {
        var dir = Directory.CreateTempSubdirectory("zmq-hosting-certs-");
        try
        {
            var cert = Certificate.Generate();
            string path = Path.Combine(dir.FullName, "server");
            cert.Save(path); // server (public) and server_secret
            int port = Ports.Free();
            var builder = TestHosts.Builder(new Dictionary<string, string?>
            {
                ["Zmq:Sockets:server:Type"] = "Rep",
                ["Zmq:Sockets:server:Endpoints"] = $"@{TestHosts.Tcp(port)}",
                ["Zmq:Sockets:server:Curve:Server"] = "true",
                ["Zmq:Sockets:server:Curve:Certificate"] = path,
                ["Zmq:Sockets:client:Type"] = "Req",
                ["Zmq:Sockets:client:Endpoints"] = TestHosts.Tcp(port),
                ["Zmq:Sockets:client:Curve:ServerCertificate"] = path,
            });
            builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
            using var host = await TestHosts.StartAsync(builder);
            var sockets = host.Services.GetRequiredService<IZmqSockets>();
            var server = sockets.Get<RepSocket>("server");
            var client = sockets.Get<ReqSocket>("client");
            Assert.Equal(cert.PublicKey, server.CurvePublicKey);
            Assert.Equal(cert.PublicKey, client.CurveServerKey);
            client.SendString("ping");
            Assert.True(server.TryReceive(TestHosts.Limit, out var request));
            request.Dispose();
            server.SendString("pong");
            Assert.True(client.TryReceive(TestHosts.Limit, out var reply));
            using (reply) Assert.Equal("pong", reply.GetString(0));
            await host.StopAsync().WaitAsync(TestHosts.Limit);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Code_registration_sets_options_and_runs_the_socket_callback_before_endpoints()
    {
        string name = $"inproc://code-{Guid.NewGuid():N}";
        byte[]? idAtConfigure = null;
        var builder = TestHosts.Builder();
        builder.Services.AddZmqSocket<RouterSocket>("router", o =>
        {
            o.Endpoints.Add("@" + name);
            o.ReceiveHighWatermark = 3;
            o.Options[SocketOption.RouterMandatory] = true;
            o.ConfigureSocket = s =>
            {
                idAtConfigure = s.RoutingId;
                Assert.Null(s.LastEndpoint); // not attached yet
            };
        });
        builder.Services.AddZmqSocket<DealerSocket>("dealer", o =>
        {
            o.Endpoints.Add(">" + name);
            o.RoutingId = "dealer-1";
        });
        using var host = await TestHosts.StartAsync(builder);
        var router = host.Services.GetRequiredKeyedService<RouterSocket>("router");
        var dealer = host.Services.GetRequiredKeyedService<DealerSocket>("dealer");
        Assert.Equal(3, router.ReceiveHighWatermark);
        Assert.True(router.Mandatory);
        Assert.Null(idAtConfigure);
        dealer.SendString("hi");
        Assert.True(router.TryReceive(TestHosts.Limit, out var m));
        using (m)
        {
            Assert.Equal("dealer-1", m.GetString(0));
            Assert.Equal("hi", m.GetString(1));
        }
        // The accessor refuses a wrong class and an unknown name, naming what exists.
        var sockets = host.Services.GetRequiredService<IZmqSockets>();
        Assert.Contains("not a PushSocket", Assert.Throws<InvalidOperationException>(() => sockets.Get<PushSocket>("router")).Message);
        var unknown = Assert.Throws<InvalidOperationException>(() => sockets.Get("nope")).Message;
        Assert.Contains("router, dealer", unknown);
        await host.StopAsync().WaitAsync(TestHosts.Limit);
        Assert.True(router.IsDisposed && dealer.IsDisposed);
        Assert.Throws<InvalidOperationException>(() => sockets.Get("router"));
    }

    [Fact]
    public async Task Configuration_and_code_for_one_name_are_one_socket_code_last()
    {
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Zmq:Sockets:Jobs:Endpoints"] = $"@inproc://jobs-{Guid.NewGuid():N}",
            ["Zmq:Sockets:Jobs:ReceiveHighWatermark"] = "11",
        });
        builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
        builder.Services.AddZmqSocket<PullSocket>("jobs", o => o.SendHighWatermark = 12); // Type from the class
        using var host = await TestHosts.StartAsync(builder);
        var pull = host.Services.GetRequiredKeyedService<PullSocket>("jobs");
        Assert.Same(pull, host.Services.GetRequiredKeyedService<PullSocket>("Jobs"));
        Assert.Equal(11, pull.ReceiveHighWatermark);
        Assert.Equal(12, pull.SendHighWatermark);
        Assert.Single(host.Services.GetRequiredService<IZmqSockets>().Names);
        await host.StopAsync().WaitAsync(TestHosts.Limit);
    }
}
