using Xunit.Abstractions;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Allocation;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "Allocation (runs alone)";
}

/// <summary>
/// Steady-state allocation per message, counted process-wide (the engine's threads allocate too),
/// in a collection that runs alone (DECISIONS.md "Performance acceptance"): a small fixed overhead
/// is fine, a per-message cost is not.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class AllocationTests : IDisposable
{
    private const int Warmup = 20_000;
    private const int Count = 100_000;
    private const int Batch = 500; // below the HWM: a batch never blocks the one thread doing both sides

    private readonly SocketScope S = new();
    private readonly ITestOutputHelper _out;

    public AllocationTests(ITestOutputHelper output) => _out = output;

    public void Dispose() => S.Dispose();

    /// <summary>
    /// Runs <paramref name="run"/> over <see cref="Count"/> messages and asserts the process-wide
    /// allocation per message is below 1 byte. Up to three rounds: a per-message cost shows in every
    /// round, while a one-off allocation by something else in the process (the test host reporting a
    /// result, a timer) shows in one at most.
    /// </summary>
    private void Measure(string what, Action<int> run)
    {
        var rounds = new List<long>();
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetTotalAllocatedBytes(true);
            run(Count);
            long bytes = GC.GetTotalAllocatedBytes(true) - before;
            rounds.Add(bytes);
            _out.WriteLine($"{what}: {bytes} B over {Count} messages = {(double)bytes / Count:0.000} B/msg");
            if (bytes < Count) return;
        }
        Assert.Fail($"{what}: {string.Join(", ", rounds.Select(b => $"{(double)b / Count:0.000}"))} B/msg in three rounds of {Count} messages; must be < 1");
    }

    [Fact]
    public void PushPull_64ByteMessages()
    {
        var pull = S.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        var push = S.Push();
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

        Run(Warmup);
        Measure("PUSH->PULL", Run);
    }

    [Fact]
    public void ReqRep_RoundTrips()
    {
        var rep = S.Rep();
        rep.Bind("tcp://127.0.0.1:*");
        var req = S.Req();
        req.Connect(rep.LastEndpoint!);
        Exception? failure = null;
        bool done = false;
        var server = new Thread(() =>
        {
            try
            {
                while (!Volatile.Read(ref done))
                {
                    if (!rep.TryReceive(TimeSpan.FromMilliseconds(100), out var m)) continue;
                    using (m) rep.Send(m);
                }
            }
            catch (Exception ex) { failure = ex; }
        }) { IsBackground = true, Name = "rep-echo" };
        server.Start();
        var payload = new byte[64];

        void Run(int n)
        {
            for (int i = 0; i < n; i++)
            {
                req.Send(payload);
                using var m = req.Receive();
                if (m.GetSpan(0).Length != 64) throw new InvalidOperationException("wrong size");
            }
        }

        Run(Warmup);
        Measure("REQ<->REP round trips", Run);
        Volatile.Write(ref done, true);
        Wait.Join(server);
        Assert.Null(failure);
    }

    [Fact]
    public void DealerRouter_Echo()
    {
        var router = S.Router();
        router.Mandatory = true; // wait rather than drop when the dealer's queue is full
        router.Bind("tcp://127.0.0.1:*");
        var dealer = S.Dealer();
        dealer.Connect(router.LastEndpoint!);
        Exception? failure = null;
        bool done = false;
        var server = new Thread(() =>
        {
            try
            {
                while (!Volatile.Read(ref done))
                {
                    if (!router.TryReceive(TimeSpan.FromMilliseconds(100), out var m)) continue;
                    using (m) router.Send(m);
                }
            }
            catch (Exception ex) { failure = ex; }
        }) { IsBackground = true, Name = "router-echo" };
        server.Start();
        var payload = new byte[64];

        void Run(int n)
        {
            for (int sent = 0; sent < n; sent += Batch)
            {
                for (int i = 0; i < Batch; i++) dealer.Send(payload);
                for (int i = 0; i < Batch; i++)
                {
                    using var m = dealer.Receive();
                    if (m.GetSpan(0).Length != 64) throw new InvalidOperationException("wrong size");
                }
            }
        }

        Run(Warmup);
        Measure("DEALER<->ROUTER echo", Run);
        Volatile.Write(ref done, true);
        Wait.Join(server);
        Assert.Null(failure);
    }
}
