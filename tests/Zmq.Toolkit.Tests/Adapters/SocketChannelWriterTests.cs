using System.Threading.Channels;

namespace Zmq.Toolkit.Tests.Adapters;

/// <summary>AsChannelWriter: the socket's HWM is the back-pressure, messages are taken over, cancellation, completion.</summary>
public sealed class SocketChannelWriterTests : AdapterFixture
{
    /// <summary>Writes until the socket has no room (inproc: SNDHWM + RCVHWM messages; tcp: also what the kernel buffers); returns how many went.</summary>
    private static int Fill(SocketChannelWriter writer, int size)
    {
        for (int n = 0; n < 100_000; n++)
        {
            var m = Message.Rent();
            m.AddFrame(size);
            if (!writer.TryWrite(m))
            {
                m.Dispose();
                return n;
            }
        }
        throw new InvalidOperationException("the writer never ran out of room");
    }

    [Fact]
    public async Task At_the_HWM_TryWrite_says_no_and_writes_wait_until_the_reader_drains()
    {
        var (push, pull) = Pipeline("inproc", hwm: 4);
        using var writer = push.AsChannelWriter();
        int sent = Fill(writer, 16);
        Assert.InRange(sent, 4, 8); // no queue of the adapter's own: the socket's pipe (SNDHWM, and RCVHWM once inproc joined them)
        var wait = writer.WaitToWriteAsync();
        var write = writer.WriteAsync(Numbered(-1));
        await Task.Delay(Short);
        Assert.False(wait.IsCompleted);
        Assert.False(write.IsCompleted);
        for (int i = 0; i < sent; i++) pull.Receive().Dispose();
        Assert.True(await wait.AsTask().WaitAsync(Long));
        await write.AsTask().WaitAsync(Long);
        using var last = pull.Receive();
        Assert.Equal(-1, Number(last));
    }

    [Fact]
    public async Task Over_tcp_a_full_socket_holds_writes_back_until_the_reader_drains()
    {
        var (push, pull) = Pipeline("tcp", hwm: 2);
        using var writer = push.AsChannelWriter();
        const int Size = 256 * 1024; // fills the kernel's buffers in a few messages
        int sent = 0;
        var deadline = DateTime.UtcNow + Long;
        while (true) // the I/O thread moves messages into the kernel meanwhile: fill until it stays full
        {
            sent += Fill(writer, Size);
            await Task.Delay(Short);
            var m = Message.Rent();
            m.AddFrame(Size);
            if (!writer.TryWrite(m))
            {
                m.Dispose();
                break;
            }
            sent++;
            Assert.True(DateTime.UtcNow < deadline, "the socket never stayed full");
        }
        var write = writer.WriteAsync(Numbered(-1));
        Assert.False(write.IsCompleted);
        for (int i = 0; i < sent; i++) pull.Receive().Dispose();
        await write.AsTask().WaitAsync(Long);
        using var last = pull.Receive();
        Assert.Equal(-1, Number(last));
    }

    [Fact]
    public void A_written_message_is_taken_over_and_one_not_written_stays_the_callers()
    {
        var (push, pull) = Pipeline("inproc", hwm: 1);
        using var writer = push.AsChannelWriter();
        int sent = Fill(writer, 4);
        var kept = Numbered(9);
        Assert.False(writer.TryWrite(kept));
        Assert.Equal(1, kept.Count); // still usable
        for (int i = 0; i < sent; i++) pull.Receive().Dispose();
        var taken = Numbered(10);
        Assert.True(writer.TryWrite(taken));
        Assert.Throws<ObjectDisposedException>(() => taken.Count); // sent and disposed
        kept.Dispose();
    }

    [Fact]
    public async Task Cancelling_a_waiting_write_throws_sends_nothing_and_leaves_the_message_and_socket_usable()
    {
        var (push, pull) = Pipeline("inproc", hwm: 2);
        using var writer = push.AsChannelWriter();
        int sent = Fill(writer, 4);
        var message = Numbered(42);
        using (var cts = new CancellationTokenSource())
        {
            var write = writer.WriteAsync(message, cts.Token);
            await Task.Delay(Short);
            Assert.False(write.IsCompleted);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await write.AsTask().WaitAsync(Long));
        }
        Assert.Equal(42, Number(message));
        using (var cts = new CancellationTokenSource())
        {
            var wait = writer.WaitToWriteAsync(cts.Token);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait.AsTask().WaitAsync(Long));
        }
        for (int i = 0; i < sent; i++) pull.Receive().Dispose();
        Assert.False(pull.TryReceive(out _)); // the cancelled write sent nothing
        await writer.WriteAsync(message).AsTask().WaitAsync(Long);
        using var m = pull.Receive();
        Assert.Equal(42, Number(m));
    }

    [Fact]
    public async Task Complete_ends_writing_but_not_the_socket()
    {
        var (push, pull) = Pipeline("inproc", hwm: 1);
        using var writer = push.AsChannelWriter();
        int sent = Fill(writer, 4);
        var pending = writer.WaitToWriteAsync();
        writer.Complete();
        Assert.False(await pending.AsTask().WaitAsync(Long));
        Assert.True(writer.IsCompleted);
        Assert.False(writer.TryComplete());
        var m = Numbered(1);
        Assert.False(writer.TryWrite(m));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await writer.WriteAsync(m));
        Assert.False(await writer.WaitToWriteAsync());
        m.Dispose();
        for (int i = 0; i < sent; i++) pull.Receive().Dispose();
        push.Send(Bytes(2)); // the socket is still open
        using var r = pull.Receive();
        Assert.Equal(2, Number(r));
    }

    [Fact]
    public async Task Completing_with_an_error_makes_waits_throw_it()
    {
        var (push, _) = Pipeline("inproc", hwm: 1);
        using var writer = push.AsChannelWriter();
        Fill(writer, 4);
        var pending = writer.WaitToWriteAsync();
        var error = new InvalidOperationException("stop");
        Assert.True(writer.TryComplete(error));
        Assert.Same(error, await Assert.ThrowsAsync<InvalidOperationException>(async () => await pending.AsTask().WaitAsync(Long)));
        Assert.Same(error, await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.WaitToWriteAsync()));
        var m = Numbered(1);
        Assert.Same(error, (await Assert.ThrowsAsync<ChannelClosedException>(async () => await writer.WriteAsync(m))).InnerException);
        m.Dispose();
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task Disposing_the_socket_completes_the_writer(string transport)
    {
        var (push, _) = Pipeline(transport, hwm: 1);
        var writer = Track(push.AsChannelWriter());
        if (transport == "inproc") Fill(writer, 4);
        var pending = writer.WaitToWriteAsync();
        push.Dispose();
        Assert.True(writer.IsCompleted);
        if (transport == "inproc") Assert.False(await pending.AsTask().WaitAsync(Long));
        var m = Numbered(1);
        Assert.False(writer.TryWrite(m));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await writer.WriteAsync(m));
        m.Dispose();
    }

    [Fact]
    public void A_socket_that_cannot_send_is_refused()
    {
        var (_, pull) = Pipeline("inproc");
        Assert.Contains("PULL socket cannot send", Assert.Throws<ArgumentException>(() => pull.AsChannelWriter()).Message);
    }

    [Fact]
    public void A_message_the_socket_refuses_is_its_exception_and_stays_the_callers()
    {
        var (router, _) = Pair("inproc", c => new RouterSocket(context: c), c => new DealerSocket(context: c));
        using var writer = router.AsChannelWriter();
        var noBody = new Message().Add("id"u8); // a ROUTER message needs a routing id and a body
        Assert.Equal(ZmqError.InvalidMessage, Assert.Throws<ZmqException>(() => writer.TryWrite(noBody)).Error);
        Assert.Equal(1, noBody.Count);
    }
}
