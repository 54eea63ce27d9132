using Xunit.Abstractions;
using Zmq.Tests.Allocation;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Diagnostics;

/// <summary>
/// Monitoring stays off the message path: with monitors attached to both ends (queue and inproc
/// forms), steady-state traffic still allocates nothing per message. Runs alone, as the other
/// allocation tests.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class MonitorAllocationTests : IDisposable
{
    private readonly SocketScope S = new();
    private readonly ITestOutputHelper _out;

    public MonitorAllocationTests(ITestOutputHelper output) => _out = output;

    public void Dispose() => S.Dispose();

    [Fact]
    public void PushPull_WithMonitors_NoAllocationPerMessage()
    {
        var pull = S.Pull();
        using var pullMonitor = pull.Monitor();
        using var pullInproc = pull.Monitor(Endpoints.NewInproc("mon"));
        pull.Bind("tcp://127.0.0.1:*");
        var push = S.Push();
        using var pushMonitor = push.Monitor();
        push.Connect(pull.LastEndpoint!);
        var payload = new byte[64];

        void Run(int n) => AllocationProbe.Batches(push, pull, payload, n);

        Run(20_000);
        AllocationProbe.AssertBelowOneBytePerMessage(_out, "PUSH->PULL monitored", Run);
        // The monitors saw the connection, and nothing per message.
        Assert.True(pushMonitor.TryRead(out var first));
        Assert.Equal(MonitorEventType.ConnectDelayed, first.Type);
        Assert.Equal(0, pushMonitor.DroppedCount);
    }
}
