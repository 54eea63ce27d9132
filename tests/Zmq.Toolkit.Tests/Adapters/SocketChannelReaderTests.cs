using System.Threading.Channels;

namespace Zmq.Toolkit.Tests.Adapters;

/// <summary>AsChannelReader: TryRead is TryReceive, waits on readiness, cancellation, the end (Completion) when the socket closes, concurrent readers.</summary>
public sealed class SocketChannelReaderTests : AdapterFixture
{
    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task ReadAllAsync_yields_every_message_in_order(string transport)
    {
        var (push, pull) = Pipeline(transport, hwm: 10);
        using var reader = pull.AsChannelReader();
        var sender = Task.Run(() =>
        {
            for (int i = 0; i < 500; i++) push.Send(Bytes(i));
        });
        using var cts = new CancellationTokenSource(Long);
        int expected = 0;
        await foreach (var m in reader.ReadAllAsync(cts.Token))
        {
            using (m) Assert.Equal(expected, Number(m));
            if (++expected == 500) break;
        }
        await sender.WaitAsync(Long);
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task A_wait_ends_when_a_message_arrives_and_leaves_it_to_read(string transport)
    {
        var (push, pull) = Pipeline(transport);
        using var reader = pull.AsChannelReader();
        Assert.False(reader.TryRead(out _));
        var wait = reader.WaitToReadAsync();
        await Task.Delay(Short);
        Assert.False(wait.IsCompleted);
        push.Send(Bytes(1));
        Assert.True(await wait.AsTask().WaitAsync(Long));
        Assert.True(reader.TryRead(out var m));
        using (m) Assert.Equal(1, Number(m));
        Assert.False(reader.CanCount);
        Assert.False(reader.CanPeek);
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task Cancelling_a_wait_or_a_read_throws_and_loses_nothing(string transport)
    {
        var (push, pull) = Pipeline(transport);
        using var reader = pull.AsChannelReader();
        using (var cts = new CancellationTokenSource())
        {
            var wait = reader.WaitToReadAsync(cts.Token);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait.AsTask().WaitAsync(Long));
        }
        using (var cts = new CancellationTokenSource())
        {
            var read = reader.ReadAsync(cts.Token);
            await Task.Delay(Short);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read.AsTask().WaitAsync(Long));
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadAsync(new CancellationToken(true)));
        push.Send(Bytes(5));
        using var m = await reader.ReadAsync().AsTask().WaitAsync(Long);
        Assert.Equal(5, Number(m));
        Assert.False(reader.Completion.IsCompleted);
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task Disposing_the_socket_completes_the_reader(string transport)
    {
        var (_, pull) = Pipeline(transport);
        var reader = Track(pull.AsChannelReader());
        var wait = reader.WaitToReadAsync();
        var read = reader.ReadAsync();
        Assert.False(reader.Completion.IsCompleted);
        pull.Dispose();
        await reader.Completion.WaitAsync(Long); // completes though nobody reads: Socket.Closed
        Assert.False(await wait.AsTask().WaitAsync(Long));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await read.AsTask().WaitAsync(Long));
        Assert.False(reader.TryRead(out _));
        Assert.False(await reader.WaitToReadAsync());
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await reader.ReadAsync());
    }

    [Fact]
    public async Task Completion_completes_when_the_context_terminates_with_nobody_reading()
    {
        var context = new Context();
        var pull = new PullSocket(context: context) { Linger = TimeSpan.Zero };
        using var reader = pull.AsChannelReader();
        context.Dispose();
        await reader.Completion.WaitAsync(Long);
        pull.Dispose();
    }

    [Fact]
    public async Task Disposing_the_reader_ends_it_and_leaves_the_socket_open()
    {
        var (push, pull) = Pipeline("inproc");
        var reader = pull.AsChannelReader();
        var wait = reader.WaitToReadAsync();
        reader.Dispose();
        Assert.False(await wait.AsTask().WaitAsync(Long));
        await reader.Completion.WaitAsync(Long);
        push.Send(Bytes(3));
        Assert.False(reader.TryRead(out _));
        using var m = pull.Receive();
        Assert.Equal(3, Number(m));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_waiting_ReadAllAsync_ends_when_the_reader_or_the_socket_does(bool disposeSocket)
    {
        var (push, pull) = Pipeline("inproc");
        var reader = Track(pull.AsChannelReader());
        push.Send(Bytes(1));
        var consumer = Task.Run(async () =>
        {
            var seen = new List<int>();
            await foreach (var m in reader.ReadAllAsync())
                using (m) seen.Add(Number(m));
            return seen;
        });
        await Task.Delay(Short);
        Assert.False(consumer.IsCompleted);
        if (disposeSocket) pull.Dispose();
        else reader.Dispose();
        Assert.Equal([1], await consumer.WaitAsync(Long));
        await foreach (var m in reader.ReadAllAsync()) Assert.Fail($"read {m} after the end");
    }

    [Fact]
    public async Task ReadAllAsync_throws_when_its_token_is_cancelled()
    {
        var (_, pull) = Pipeline("inproc");
        using var reader = pull.AsChannelReader();
        using var cts = new CancellationTokenSource();
        var e = reader.ReadAllAsync(cts.Token).GetAsyncEnumerator();
        var step = e.MoveNextAsync();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await step.AsTask().WaitAsync(Long));
        await e.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_reads_each_get_their_own_message()
    {
        var (push, pull) = Pipeline("inproc");
        using var reader = pull.AsChannelReader();
        var reads = Enumerable.Range(0, 8).Select(_ => reader.ReadAsync().AsTask()).ToArray(); // all waiting at once
        await Task.Delay(Short);
        Assert.All(reads, r => Assert.False(r.IsCompleted));
        for (int i = 0; i < reads.Length; i++) push.Send(Bytes(i));
        var got = await Task.WhenAll(reads).WaitAsync(Long);
        Assert.Equal(Enumerable.Range(0, reads.Length), got.Select(Number).Order());
        foreach (var m in got) m.Dispose();
    }

    [Fact]
    public void A_socket_that_cannot_receive_is_refused()
    {
        var (push, _) = Pipeline("inproc");
        Assert.Contains("PUSH socket cannot receive", Assert.Throws<ArgumentException>(() => push.AsChannelReader()).Message);
    }
}
