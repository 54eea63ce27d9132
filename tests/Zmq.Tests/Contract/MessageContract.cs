using System.Buffers;
using System.Diagnostics;
using System.Text;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Contract;

/// <summary>Message shapes and sizes, receive variants and the async API.</summary>
public abstract class MessageContract : ContractBase
{
    protected MessageContract(bool portablePoller = false) : base(portablePoller) { }

    private (PushSocket Push, PullSocket Pull) Pipeline()
    {
        var pull = S.Pull();
        var ep = Bind(pull);
        var push = S.Push();
        push.Connect(ep);
        return (push, pull);
    }

    [Fact]
    public void Multipart_ArrivesWhole_WithEmptyFramesAndSizesAroundTheLongHeader()
    {
        var (push, pull) = Pipeline();
        byte[][] frames = [[], Pattern(1, 1), Pattern(255, 2), Pattern(256, 3), [], Pattern(70_000, 4), Pattern(3, 5)];
        push.SendFrames(frames);
        using var m = pull.Receive();
        Assert.Equal(frames.Length, m.Count);
        for (int i = 0; i < frames.Length; i++) Assert.Equal(frames[i], m.ToArray(i));
    }

    [Fact]
    public void Multipart_ManyFrames()
    {
        var (push, pull) = Pipeline();
        var msg = new Message();
        for (int i = 0; i < 500; i++) msg.Add(Encoding.ASCII.GetBytes(i.ToString()));
        push.Send(msg);
        push.Send(msg); // a built message can be sent again
        for (int k = 0; k < 2; k++)
        {
            var got = pull.ReceiveStrings();
            Assert.Equal(Enumerable.Range(0, 500).Select(i => i.ToString()), got);
        }
    }

    [Theory]
    [InlineData(1 << 20)]
    [InlineData(4 << 20)]
    public void LargeMessages(int size)
    {
        var (push, pull) = Pipeline();
        var big = Pattern(size, size);
        push.Send(big);
        push.SendFrames(Pattern(10, 1), big, Pattern(10, 2));
        push.SendString("small after");
        using (var m = pull.Receive())
        {
            Assert.True(big.AsSpan().SequenceEqual(m.GetSpan(0)));
        }
        using (var m = pull.Receive())
        {
            Assert.Equal(3, m.Count);
            Assert.True(big.AsSpan().SequenceEqual(m.GetSpan(1)));
            Assert.Equal(Pattern(10, 2), m.ToArray(2));
        }
        Assert.Equal("small after", pull.ReceiveString());
    }

    [Fact]
    public void LargeMessages_BackToBack_InterleavedWithSmallOnes()
    {
        var (push, pull) = Pipeline();
        for (int i = 0; i < 8; i++)
        {
            push.Send(Pattern(i % 2 == 0 ? 1 << 20 : 100, i));
        }
        for (int i = 0; i < 8; i++)
        {
            using var m = pull.Receive();
            Assert.True(Pattern(i % 2 == 0 ? 1 << 20 : 100, i).AsSpan().SequenceEqual(m.GetSpan(0)), $"message {i} differs");
        }
    }

    [Fact]
    public void LargeMessages_ThroughRouterAndDealer()
    {
        var router = S.Router();
        var ep = Bind(router);
        var dealer = S.Dealer();
        dealer.Connect(ep);
        var big = Pattern(2 << 20, 7);
        dealer.Send(big);
        using var m = router.Receive();
        Assert.True(big.AsSpan().SequenceEqual(m.GetSpan(1)));
        router.Send(m);
        using var back = dealer.Receive();
        Assert.True(big.AsSpan().SequenceEqual(back.GetSpan(0)));
    }

    [Fact]
    public void SendOverloads_AllArrive()
    {
        var (push, pull) = Pipeline();
        push.Send("span"u8);
        push.SendString("string");
        push.SendFrames("a"u8.ToArray(), "b"u8.ToArray());
        push.SendFrames(new ReadOnlyMemory<byte>("m1"u8.ToArray()), new ReadOnlyMemory<byte>("m2"u8.ToArray(), 0, 1));
        push.SendFrames("s1", "s2");
        push.Send(new Message().Add("msg"));
        Assert.True(push.TrySend(new Message().Add("try")));
        Assert.True(push.TrySend(new Message().Add("try2"), TimeSpan.FromSeconds(1)));
        Assert.True(push.TrySend("try3"u8, TimeSpan.FromSeconds(1)));
        Assert.Equal("span", pull.ReceiveString());
        Assert.Equal("string", pull.ReceiveString());
        Assert.Equal(["a", "b"], pull.ReceiveStrings());
        Assert.Equal(["m1", "m"], pull.ReceiveStrings());
        Assert.Equal(["s1", "s2"], pull.ReceiveStrings());
        Assert.Equal("msg", pull.ReceiveString());
        Assert.Equal("try", pull.ReceiveString());
        Assert.Equal("try2", pull.ReceiveString());
        Assert.Equal("try3", pull.ReceiveString());
    }

    [Fact]
    public void SendCopies_TheCallerMayReuseItsBuffer()
    {
        var (push, pull) = Pipeline();
        var buf = "first"u8.ToArray();
        push.Send(buf);
        "XXXXX"u8.CopyTo(buf);
        push.Send(buf);
        Assert.Equal("first", pull.ReceiveString());
        Assert.Equal("XXXXX", pull.ReceiveString());
    }

    [Fact]
    public void ReceiveVariants()
    {
        var (push, pull) = Pipeline();
        push.SendString("bytes");
        push.SendString("string");
        push.SendString("writer");
        push.SendFrames("f1", "f2");
        push.SendFrames("s1", "s2");
        push.SendFrames("multi", "part");
        Assert.Equal("bytes"u8.ToArray(), pull.ReceiveBytes());
        Assert.Equal("string", pull.ReceiveString());
        var w = new ArrayBufferWriter<byte>();
        Assert.Equal(6, pull.Receive(w));
        Assert.Equal("writer"u8.ToArray(), w.WrittenSpan.ToArray());
        Assert.Equal(2, pull.ReceiveFrames().Length);
        Assert.Equal(["s1", "s2"], pull.ReceiveStrings());
        var ex = Assert.Throws<ZmqException>(() => pull.ReceiveString());
        Assert.Equal(ZmqError.InvalidMessage, ex.Error);
        Assert.Contains("2-frame", ex.Message);
    }

    [Fact]
    public void UndisposedMessages_DoNotBlockTheSocket()
    {
        var pull = S.Pull();
        pull.ReceiveHighWatermark = 2;
        var ep = Bind(pull);
        var push = S.Push();
        push.Connect(ep);
        for (int i = 0; i < 50; i++) push.SendString("m" + i);
        var kept = new List<Message>();
        for (int i = 0; i < 50; i++) kept.Add(pull.Receive()); // never disposed while receiving
        for (int i = 0; i < 50; i++) Assert.Equal("m" + i, kept[i].GetString(0)); // and each still holds its own frames
        kept.ForEach(m => m.Dispose());
    }

    // ---------------- async ----------------

    [Fact]
    public async Task ReceiveAsync_CompletesWhenAMessageArrives()
    {
        var (push, pull) = Pipeline();
        var pending = pull.ReceiveAsync().AsTask();
        Assert.False(pending.IsCompleted);
        push.SendString("async");
        using var m = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("async", m.GetString(0));
    }

    [Fact]
    public async Task ReceiveAsync_CompletesSynchronously_WhenAMessageIsWaiting()
    {
        var (push, pull) = Pipeline();
        push.SendString("ready");
        Wait.Until(() => SocketProbe.InboundCount(pull) == 1, "the message is queued");
        var vt = pull.ReceiveAsync();
        Assert.True(vt.IsCompletedSuccessfully);
        using var m = await vt;
        Assert.Equal("ready", m.GetString(0));
    }

    [Fact]
    public async Task String_helpers_async_round_trip_text_and_honour_cancellation()
    {
        var (push, pull) = Pipeline();
        var pending = pull.ReceiveStringAsync().AsTask();
        await push.SendStringAsync("héllo ✓");
        Assert.Equal("héllo ✓", await pending.WaitAsync(TimeSpan.FromSeconds(5)));
        push.SendFrames("two", "frames");
        await Assert.ThrowsAsync<ZmqException>(async () => await pull.ReceiveStringAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pull.ReceiveStringAsync(new CancellationToken(true)));
    }

    [Fact]
    public async Task ReceiveAsync_Cancellation()
    {
        var pull = S.Pull();
        Bind(pull);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pull.ReceiveAsync(cts.Token));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3));
        // An already-cancelled token with nothing waiting
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pull.ReceiveAsync(new CancellationToken(true)));
    }

    [Fact]
    public async Task ReceiveAsync_HonoursReceiveTimeout()
    {
        var pull = S.Pull();
        Bind(pull);
        pull.ReceiveTimeout = TimeSpan.FromMilliseconds(100);
        var ex = await Assert.ThrowsAsync<ZmqTimeoutException>(async () => await pull.ReceiveAsync());
        Assert.Equal(ZmqError.Timeout, ex.Error);
    }

    [Fact]
    public async Task SendAsync_RoundTrip()
    {
        var (push, pull) = Pipeline();
        var buf = "async-send"u8.ToArray();
        var vt = push.SendAsync(buf);
        buf[0] = (byte)'X'; // copied before return
        await vt;
        await push.SendAsync(new Message().Add("as").Add("message"));
        Assert.Equal("async-send", pull.ReceiveString());
        Assert.Equal(["as", "message"], pull.ReceiveStrings());
    }

    [Fact]
    public async Task SendAsync_WaitsForRoom_AndCopiesBeforeWaiting()
    {
        var pull = S.Pull();
        var ep = Bind(pull);
        var dealer = S.Dealer();
        var buf = "queued-late"u8.ToArray();
        var pending = dealer.SendAsync(buf).AsTask(); // no peer yet: waits
        Assert.False(pending.IsCompleted);
        buf[0] = (byte)'X';
        var push = S.Push();
        push.Connect(ep);
        push.SendString("unrelated");
        Assert.Equal("unrelated", pull.ReceiveString());

        var router = S.Router();
        dealer.Connect(Bind(router));
        await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("queued-late", router.ReceiveStrings()[1]);
    }

    [Fact]
    public async Task SendAsync_Cancellation()
    {
        var push = S.Push(); // no peers: would wait forever
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await push.SendAsync(new byte[1], cts.Token));
        push.SendTimeout = TimeSpan.FromMilliseconds(100);
        await Assert.ThrowsAsync<ZmqTimeoutException>(async () => await push.SendAsync(new byte[1]));
    }

    [Fact]
    public async Task AsyncPingPong_OverDealerRouter()
    {
        var router = S.Router();
        var ep = Bind(router);
        var dealer = S.Dealer();
        dealer.Connect(ep);
        var server = Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                using var m = await router.ReceiveAsync();
                await router.SendAsync(m);
            }
        });
        for (int i = 0; i < 200; i++)
        {
            await dealer.SendAsync(Encoding.ASCII.GetBytes("n" + i));
            using var m = await dealer.ReceiveAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("n" + i, m.GetString(0));
        }
        await server.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
