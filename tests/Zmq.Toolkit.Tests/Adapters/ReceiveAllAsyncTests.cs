namespace Zmq.Toolkit.Tests.Adapters;

/// <summary>socket.ReceiveAllAsync: order, cancellation (OperationCanceledException, nothing lost), the end when the socket is disposed, misuse.</summary>
public sealed class ReceiveAllAsyncTests : AdapterFixture
{
    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task Yields_every_message_in_order(string transport)
    {
        var (push, pull) = Pipeline(transport, hwm: 10);
        var sender = Task.Run(() =>
        {
            for (int i = 0; i < 500; i++) push.Send(Bytes(i)); // more than the HWMs: the enumeration's waits let it go on
        });
        using var cts = new CancellationTokenSource(Long);
        int expected = 0;
        await foreach (var m in pull.ReceiveAllAsync(cts.Token))
        {
            using (m) Assert.Equal(expected, Number(m));
            if (++expected == 500) break;
        }
        await sender.WaitAsync(Long);
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task Cancelling_throws_OperationCanceledException_and_loses_nothing(string transport)
    {
        var (push, pull) = Pipeline(transport);
        using var cts = new CancellationTokenSource();
        var e = pull.ReceiveAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var pending = e.MoveNextAsync();
        Assert.False(pending.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending.AsTask().WaitAsync(Long));
        await e.DisposeAsync();

        push.Send(Bytes(7));
        using (var m = pull.Receive()) Assert.Equal(7, Number(m)); // the socket is as it was
        push.Send(Bytes(8));
        await foreach (var m in pull.ReceiveAllAsync().WithCancellation(new CancellationTokenSource(Long).Token))
        {
            using (m) Assert.Equal(8, Number(m));
            break;
        }
    }

    [Fact]
    public async Task A_cancelled_token_stops_a_busy_enumeration_too()
    {
        var (push, pull) = Pipeline("inproc");
        for (int i = 0; i < 10; i++) push.Send(Bytes(i));
        using var cts = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var m in pull.ReceiveAllAsync(cts.Token))
            {
                m.Dispose();
                if (++seen == 3) cts.Cancel();
            }
        });
        Assert.Equal(3, seen);
        for (int i = 3; i < 10; i++)
            using (var m = pull.Receive()) Assert.Equal(i, Number(m)); // what was not taken is still there
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task Disposing_the_socket_ends_a_waiting_enumeration(string transport)
    {
        var (_, pull) = Pipeline(transport);
        var consumer = Task.Run(async () =>
        {
            int n = 0;
            await foreach (var m in pull.ReceiveAllAsync()) { m.Dispose(); n++; }
            return n;
        });
        await Task.Delay(Short);
        Assert.False(consumer.IsCompleted);
        pull.Dispose();
        Assert.Equal(0, await consumer.WaitAsync(Long));
    }

    [Fact]
    public async Task Terminating_the_context_ends_the_enumeration()
    {
        var context = new Context();
        var pull = new PullSocket(context: context) { Linger = TimeSpan.Zero };
        pull.Bind("inproc://terminate");
        var consumer = Task.Run(async () =>
        {
            await foreach (var m in pull.ReceiveAllAsync()) m.Dispose();
        });
        await Task.Delay(Short);
        context.Dispose();
        await consumer.WaitAsync(Long);
        pull.Dispose();
    }

    [Fact]
    public async Task Two_enumerations_share_the_messages_each_taking_each_once()
    {
        var (push, pull) = Pipeline("inproc");
        const int N = 2000;
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var cts = new CancellationTokenSource(Long);
        async Task Consume()
        {
            await foreach (var m in pull.ReceiveAllAsync(cts.Token))
            {
                using (m)
                {
                    int n = Number(m);
                    seen.Add(n);
                    if (n == -1) return; // one end marker each
                }
            }
        }
        var a = Task.Run(Consume);
        var b = Task.Run(Consume);
        for (int i = 0; i < N; i++) push.Send(Bytes(i));
        push.Send(Bytes(-1));
        push.Send(Bytes(-1));
        await Task.WhenAll(a, b).WaitAsync(Long);
        Assert.Equal(Enumerable.Range(0, N).Append(-1).Append(-1).Order(), seen.Order());
    }

    [Fact]
    public void Bad_use_is_refused_at_the_call()
    {
        var (push, pull) = Pipeline("inproc");
        var e = Assert.Throws<ArgumentException>(() => push.ReceiveAllAsync());
        Assert.Contains("PUSH socket cannot receive", e.Message);
        pull.Dispose();
        Assert.Equal(ZmqError.Disposed, Assert.Throws<ZmqException>(() => pull.ReceiveAllAsync()).Error);
    }
}
