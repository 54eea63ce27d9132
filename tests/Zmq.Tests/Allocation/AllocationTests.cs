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

    private readonly SocketScope S = new();
    private readonly ITestOutputHelper _out;

    public AllocationTests(ITestOutputHelper output) => _out = output;

    public void Dispose() => S.Dispose();

    private void Measure(string what, Action<int> run) => AllocationProbe.AssertBelowOneBytePerMessage(_out, what, run);

    [Fact]
    public void PushPull_64ByteMessages()
    {
        var pull = S.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        var push = S.Push();
        push.Connect(pull.LastEndpoint!);
        var payload = new byte[64];

        void Run(int n) => AllocationProbe.Batches(push, pull, payload, n);

        Run(Warmup);
        Measure("PUSH->PULL", Run);
    }

    [Theory]
    [InlineData("inproc://alloc-take-over")]
    [InlineData("tcp://127.0.0.1:*")]
    public void SendAndDispose_64KiBMessages(string endpoint)
    {
        var pull = S.Pull();
        pull.Bind(endpoint);
        var push = S.Push();
        push.Connect(pull.LastEndpoint!);

        void Run(int n)
        {
            for (int sent = 0; sent < n; sent += AllocationProbe.Batch)
            {
                for (int i = 0; i < AllocationProbe.Batch; i++)
                {
                    var m = Message.Rent();
                    m.AddFrame(64 * 1024)[0] = 1;
                    push.SendAndDispose(m);
                }
                for (int i = 0; i < AllocationProbe.Batch; i++)
                {
                    using var m = pull.Receive();
                    if (m.GetSpan(0).Length != 64 * 1024) throw new InvalidOperationException("wrong size");
                }
            }
        }

        Run(Warmup);
        // 20,000 of 64 KiB (1.3 GB over tcp) is plenty to show a per-message cost.
        AllocationProbe.AssertBelowOneBytePerMessage(_out, "PUSH->PULL SendAndDispose 64 KiB over " + endpoint[..endpoint.IndexOf(':')], Run, 20_000);
    }

    [Fact]
    public void PushPull_Curve_64ByteMessages()
    {
        var pull = S.Pull();
        var push = S.Push();
        SocketScope.CurvePair(pull, push);
        var payload = new byte[64];

        void Run(int n) => AllocationProbe.Batches(push, pull, payload, n);

        Run(Warmup);
        Measure("PUSH->PULL over CURVE", Run);
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

        void Run(int n) => AllocationProbe.Batches(dealer, dealer, payload, n);

        Run(Warmup);
        Measure("DEALER<->ROUTER echo", Run);
        Volatile.Write(ref done, true);
        Wait.Join(server);
        Assert.Null(failure);
    }
}
