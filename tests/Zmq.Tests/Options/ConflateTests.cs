using System.Buffers.Binary;
using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Options.OptionTestKit;

namespace Zmq.Tests.Options;

/// <summary>CONFLATE: the pipe mechanics alone, then PUSH, PULL, PUB, SUB and DEALER over inproc and tcp.</summary>
public class ConflateTests : IDisposable
{
    private readonly SocketScope S = new();

    public void Dispose() => S.Dispose();

    // ---- the pipe alone ----

    private static void Produce(Pipe p, int value, bool consumerActive = true)
    {
        var fs = p.ReserveConflated();
        BinaryPrimitives.WriteInt32LittleEndian(fs.AddUninitialized(4), value);
        p.CommitConflated(consumerActive);
    }

    private static int Value(FrameSet fs) => BinaryPrimitives.ReadInt32LittleEndian(fs.Frame(0));

    /// <summary>What an engine's writer does: peek, release, then wake the producer (which refills a conflating pipe).</summary>
    private static int? WriterTakes(Pipe p)
    {
        var fs = p.Peek();
        if (fs is null) return null;
        int v = Value(fs);
        p.ReleaseQuiet(1);
        p.WakeProducer();
        return v;
    }

    [Fact]
    public void WriterSide_HoldsTheMessageInFlightPlusTheNewest()
    {
        var p = new Pipe(1000);
        p.EnableConflate(consumerLocks: false);
        p.ConsumerAttached();
        for (int i = 1; i <= 5; i++) Produce(p, i);
        Assert.Equal(2, p.Count); // the first went into the ring for the writer, 5 waits aside (2..4 were replaced)
        Assert.Equal(1, WriterTakes(p));
        Assert.Equal(5, WriterTakes(p));
        Assert.Null(WriterTakes(p));
        Produce(p, 6);
        Assert.Equal(6, WriterTakes(p));
    }

    [Fact]
    public void WriterSide_WithoutAConnection_KeepsOnlyTheNewest_AndHandsItToTheNextConnection()
    {
        var p = new Pipe(1000);
        p.EnableConflate(consumerLocks: false);
        for (int i = 1; i <= 5; i++) Produce(p, i, consumerActive: false);
        Assert.True(p.IsEmpty); // nothing for a writer yet...
        Assert.Equal(1, p.Count); // ...but the newest is counted (e.g. as undelivered at Dispose)
        p.ConsumerAttached(); // a connection starts serving the pipe
        Assert.Equal(5, WriterTakes(p));
        Assert.Null(WriterTakes(p));
    }

    [Fact]
    public void SocketSide_AProducerThatFindsThePipeFull_DropsTheOldest()
    {
        var p = new Pipe(3);
        p.EnableConflate(consumerLocks: true);
        for (int i = 1; i <= 10; i++)
        {
            var fs = p.TryReserve(); // as an engine's reader does
            Assert.NotNull(fs);
            BinaryPrimitives.WriteInt32LittleEndian(fs.AddUninitialized(4), i);
            p.Commit();
        }
        Assert.Equal(3, p.Count);
        var taken = p.TakeNewest(new FrameSet());
        Assert.Equal(10, Value(taken!));
        Assert.True(p.IsEmpty);
        Assert.Null(p.TakeNewest(new FrameSet()));
    }

    [Fact]
    public void SocketSide_ConflatedWrites_TakeNewestReturnsTheLast_ClearDropsEverything()
    {
        var p = new Pipe(10);
        p.EnableConflate(consumerLocks: true);
        for (int i = 1; i <= 4; i++) Produce(p, i);
        Assert.Equal(4, Value(p.TakeNewest(new FrameSet())!));
        Assert.True(p.IsEmpty);
        for (int i = 5; i <= 7; i++) Produce(p, i);
        Assert.Equal(2, p.Clear()); // one in the ring, the newest held aside
        Assert.Null(p.TakeNewest(new FrameSet()));
    }

    [Fact]
    public void Concurrent_ReaderProducer_SocketConsumer_SeesIncreasingValuesAndTheLast()
    {
        var p = new Pipe(4);
        p.EnableConflate(consumerLocks: true);
        const int N = 200_000;
        var producer = new Thread(() =>
        {
            for (int i = 1; i <= N; i++)
            {
                var fs = p.TryReserve()!;
                BinaryPrimitives.WriteInt32LittleEndian(fs.AddUninitialized(4), i);
                p.Commit();
            }
        }) { Name = "conflate-producer" };
        producer.Start();
        int last = 0;
        var spare = new FrameSet();
        while (true)
        {
            var fs = p.TakeNewest(spare);
            if (fs is null)
            {
                if (!producer.IsAlive && p.IsEmpty) break;
                continue;
            }
            int v = Value(fs);
            Assert.True(v > last, $"took {v} after {last}");
            last = v;
            spare = fs;
        }
        Wait.Join(producer);
        Assert.Equal(N, last);
    }

    [Fact]
    public void Concurrent_SocketProducer_WriterConsumer_SeesIncreasingValuesAndTheLast()
    {
        var p = new Pipe(1000);
        p.EnableConflate(consumerLocks: false);
        p.ConsumerAttached();
        const int N = 200_000;
        var producer = new Thread(() =>
        {
            for (int i = 1; i <= N; i++) Produce(p, i);
        }) { Name = "conflate-producer" };
        producer.Start();
        int last = 0;
        while (true)
        {
            var v = WriterTakes(p);
            if (v is null)
            {
                if (!producer.IsAlive && p.IsEmpty) break;
                continue;
            }
            Assert.True(v > last, $"took {v} after {last}");
            last = v.Value;
        }
        Wait.Join(producer);
        Assert.Equal(N, last);
    }

    // ---- sockets ----

    private static string[] Burst(Socket s, int n, string prefix = "m")
    {
        var sent = new string[n];
        for (int i = 0; i < n; i++)
        {
            sent[i] = prefix + i;
            Assert.True(s.TrySend(B(sent[i])), $"{s} with CONFLATE must never block (message {i})");
        }
        return sent;
    }

    [Fact]
    public void Push_Inproc_ThePullGetsOnlyTheNewest()
    {
        var pull = S.Pull();
        var ep = Bind(pull, "inproc");
        var push = S.Push();
        push.Conflate = true;
        push.SendHighWatermark = 1;
        push.Connect(ep);
        Burst(push, 50);
        Assert.Equal("m49", pull.ReceiveString());
        AssertNothing(pull);
    }

    [Fact]
    public void Push_Tcp_MessagesSentBeforeThePeerExists_OnlyTheNewestIsDelivered()
    {
        var ep = $"tcp://127.0.0.1:{Ports.Free()}";
        var push = S.Push();
        push.Conflate = true;
        push.Connect(ep);
        Burst(push, 50);
        var pull = S.Pull();
        pull.Bind(ep);
        Assert.Equal("m49", pull.ReceiveString());
        AssertNothing(pull);
        push.SendString("later");
        Assert.Equal("later", pull.ReceiveString());
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("inproc")]
    public void Pull_AReceiveReturnsTheNewestThatArrived(string transport)
    {
        var pull = S.Pull();
        pull.Conflate = true;
        pull.ReceiveHighWatermark = 10;
        var ep = Bind(pull, transport);
        var push = S.Push();
        push.Connect(ep);
        Burst(push, 200);
        if (transport == "tcp") Wait.Until(() => SocketProbe.OutboundCount(push) == 0, "the PUSH handed everything over");
        var got = new List<string>();
        while (got.Count == 0 || got[^1] != "m199") got.Add(pull.ReceiveString());
        Assert.True(got.Count < 100, $"{got.Count} messages received: not conflated");
        AssertNothing(pull);
    }

    [Fact]
    public void Dealer_Inproc_ConflatesBothDirections()
    {
        var router = S.Router();
        var ep = Bind(router, "inproc");
        var dealer = S.Dealer();
        dealer.Conflate = true;
        dealer.RoutingId = B("d");
        dealer.Connect(ep);
        Burst(dealer, 20, "up");
        Assert.Equal(["d", "up19"], router.ReceiveStrings());
        AssertNothing(router);
        for (int i = 0; i < 20; i++) router.SendFrames("d", "down" + i);
        Assert.Equal("down19", dealer.ReceiveString());
        AssertNothing(dealer);
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public void Pub_EachSubscriberGetsTheNewest(string transport)
    {
        var pub = S.Pub();
        pub.Conflate = true;
        var ep = Bind(pub, transport);
        var sub = S.Sub();
        sub.Subscribe("");
        sub.Connect(ep);
        Settle(pub, sub, "probe");
        if (transport == "inproc")
        {
            Burst(pub, 30);
            Assert.Equal("m29", sub.ReceiveString());
            AssertNothing(sub);
        }
        else
        {
            // Over tcp the connection's writer keeps taking messages as they come: what matters is
            // that the newest always arrives last and sending never waits.
            Burst(pub, 30);
            string last;
            do last = sub.ReceiveString(); while (last != "m29");
            AssertNothing(sub);
        }
    }

    [Fact]
    public void Sub_TakesTheNewestThenFilters()
    {
        var pub = S.Pub();
        var ep = Bind(pub, "tcp");
        var sub = S.Sub();
        sub.Conflate = true;
        sub.Subscribe("");
        sub.Connect(ep);
        Settle(pub, sub, "probe");
        Burst(pub, 200);
        Wait.Until(() => SocketProbe.OutboundCount(pub) == 0, "the PUB handed everything over");
        var got = new List<string>();
        while (got.Count == 0 || got[^1] != "m199") got.Add(sub.ReceiveString());
        Assert.True(got.Count < 100, $"{got.Count} messages received: not conflated");
    }

    [Theory]
    [InlineData(SocketType.Push)]
    [InlineData(SocketType.Dealer)]
    [InlineData(SocketType.Pub)]
    public void Multipart_IsNotSupported(SocketType type)
    {
        var s = S.Create(type);
        ((IConflateOption)s).Conflate = true;
        s.Connect(Inproc("nobody"));
        var e = Assert.Throws<ZmqException>(() => s.SendFrames("a", "b"));
        Assert.Equal(ZmqError.NotSupported, e.Error);
        Assert.Contains("CONFLATE", e.Message);
    }

    [Fact]
    public void SetAfterConnect_DoesNotChangeTheExistingPeer()
    {
        var ep = Inproc("late");
        var push = S.Push();
        push.Connect(ep);
        push.Conflate = true; // takes effect for peers attached from now on, as libzmq
        for (int i = 0; i < 3; i++) push.SendString("m" + i);
        var pull = S.Pull();
        pull.Bind(ep);
        Assert.Equal("m0", pull.ReceiveString());
        Assert.Equal("m1", pull.ReceiveString());
        Assert.Equal("m2", pull.ReceiveString());
    }
}
