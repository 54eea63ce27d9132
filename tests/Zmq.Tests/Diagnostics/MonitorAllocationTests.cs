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
    private const int Count = 100_000;
    private const int Batch = 500;

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

        void Run(int n)
        {
            for (int sent = 0; sent < n; sent += Batch)
            {
                for (int i = 0; i < Batch; i++) push.Send(payload);
                for (int i = 0; i < Batch; i++)
                {
                    using var m = pull.Receive();
                    if (m.GetSpan(0).Length != 64) throw new InvalidOperationException("wrong size");
                }
            }
        }

        Run(20_000);
        var rounds = new List<long>();
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetTotalAllocatedBytes(true);
            Run(Count);
            long bytes = GC.GetTotalAllocatedBytes(true) - before;
            rounds.Add(bytes);
            _out.WriteLine($"PUSH->PULL monitored: {bytes} B over {Count} messages = {(double)bytes / Count:0.000} B/msg");
            if (bytes < Count) break;
        }
        Assert.True(rounds[^1] < Count, $"{string.Join(", ", rounds.Select(b => $"{(double)b / Count:0.000}"))} B/msg with monitors attached; must be < 1");
        // The monitors saw the connection, and nothing per message.
        Assert.True(pushMonitor.TryRead(out var first));
        Assert.Equal(MonitorEventType.ConnectDelayed, first.Type);
        Assert.Equal(0, pushMonitor.DroppedCount);
    }
}
