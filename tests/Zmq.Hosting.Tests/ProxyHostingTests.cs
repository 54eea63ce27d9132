using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Zmq.Tests.Infrastructure;

namespace Zmq.Hosting.Tests;

/// <summary>AddZmqProxy: a request-reply broker from configuration, running from the host's start to its stop.</summary>
public sealed class ProxyHostingTests
{
    [Fact]
    public async Task A_configured_router_dealer_proxy_brokers_requests_until_the_host_stops()
    {
        int front = Ports.Free(), back = Ports.Free();
        var builder = TestHosts.Builder(new Dictionary<string, string?>
        {
            ["Zmq:Sockets:clients:Type"] = "Router",
            ["Zmq:Sockets:clients:Endpoints"] = $"@{TestHosts.Tcp(front)}",
            ["Zmq:Sockets:workers:Type"] = "Dealer",
            ["Zmq:Sockets:workers:Endpoints"] = $"@{TestHosts.Tcp(back)}",
        });
        builder.Services.AddZmq(builder.Configuration.GetSection("Zmq"));
        builder.Services.AddZmqProxy("clients", "workers");
        using var host = await TestHosts.StartAsync(builder);

        using var worker = new RepSocket($">{TestHosts.Tcp(back)}") { ReceiveTimeout = TestHosts.Limit };
        using var client = new ReqSocket($">{TestHosts.Tcp(front)}") { ReceiveTimeout = TestHosts.Limit };
        for (int i = 0; i < 3; i++)
        {
            client.SendString($"job {i}");
            worker.SendString(worker.ReceiveString() + " done");
            Assert.Equal($"job {i} done", client.ReceiveString());
        }
        var stop = host.StopAsync();
        await stop.WaitAsync(TestHosts.Limit);
        Assert.True(stop.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_proxy_over_a_socket_that_is_not_configured_fails_the_start_naming_it()
    {
        var builder = TestHosts.Builder();
        builder.Services.AddZmqSocket<RouterSocket>("clients", o => o.Endpoints.Add($"@{TestHosts.Tcp(Ports.Free())}"));
        builder.Services.AddZmqProxy("clients", "nobody");
        string message = await TestHosts.StartFailsAsync(builder);
        Assert.Contains("nobody", message);
    }
}
