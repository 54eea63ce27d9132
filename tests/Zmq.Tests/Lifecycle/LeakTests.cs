using System.Diagnostics;
using Xunit.Abstractions;
using Zmq.Tests.Allocation;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Lifecycle;

/// <summary>
/// Thousands of connect/disconnect cycles leave no growth in threads, file handles or memory.
/// Runs alone (process-wide counts), in the non-parallel collection.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class LeakTests(ITestOutputHelper output) : IDisposable
{
    private readonly SocketScope _scope = new();

    public void Dispose() => _scope.Dispose();

    private static int OpenFiles() => OperatingSystem.IsLinux() ? Directory.GetFiles("/proc/self/fd").Length : Process.GetCurrentProcess().HandleCount;

    private static int Threads() => Process.GetCurrentProcess().Threads.Count;

    private static (int Threads, int Files, long Memory) Measure()
    {
        // Let connections that were just closed finish tearing down their threads.
        Wait.For(() => false, TimeSpan.FromMilliseconds(300));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (Threads(), OpenFiles(), GC.GetTotalMemory(true));
    }

    [Fact]
    public void TenThousandConnectDisconnectCycles_DoNotLeak()
    {
        var pull = _scope.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        var push = _scope.Push();
        push.Linger = TimeSpan.Zero;
        string ep = pull.LastEndpoint!;

        void Cycles(int n)
        {
            for (int i = 0; i < n; i++)
            {
                push.Connect(ep);
                push.SendString("x");   // queued until the connection is up
                Assert.Equal("x", pull.ReceiveString());
                push.Disconnect(ep);
                if (i % 2 == 1)
                {
                    // every other cycle also goes through a socket's whole lifetime
                    using var p = new PushSocket(">" + ep, _scope.Context) { Linger = TimeSpan.Zero };
                    p.SendString("y");
                    Assert.Equal("y", pull.ReceiveString());
                }
            }
        }

        Cycles(300); // warm-up: thread pool, JIT, lazily created state
        var before = Measure();
        var sw = Stopwatch.StartNew();
        Cycles(10_000);
        var after = Measure();
        output.WriteLine($"10,000 cycles in {sw.Elapsed.TotalSeconds:F1} s; threads {before.Threads} -> {after.Threads}, fds {before.Files} -> {after.Files}, memory {before.Memory / 1024} -> {after.Memory / 1024} KiB");

        Assert.True(after.Threads <= before.Threads + 8, $"threads grew from {before.Threads} to {after.Threads}");
        Assert.True(after.Files <= before.Files + 8, $"file handles grew from {before.Files} to {after.Files}");
        Assert.True(after.Memory <= before.Memory + 8 * 1024 * 1024, $"memory grew from {before.Memory} to {after.Memory}");
    }
}
