namespace Zmq.Toolkit.Tests.Adapters;

/// <summary>SocketStream: a frame per read (the rest kept), a message per write, ROUTER replies to the last peer, bad use, end, cancellation.</summary>
public sealed class SocketStreamTests : AdapterFixture
{
    [Theory]
    [InlineData("inproc", false)]
    [InlineData("inproc", true)]
    [InlineData("tcp", false)]
    [InlineData("tcp", true)]
    public async Task Each_write_is_a_message_and_each_read_a_frame(string transport, bool async)
    {
        var (push, pull) = Pipeline(transport);
        using var writer = new SocketStream(push);
        using var reader = new SocketStream(pull);
        var buffer = new byte[64];
        for (int i = 1; i <= 20; i++)
        {
            var data = Enumerable.Range(0, i).Select(b => (byte)(b + i)).ToArray();
            if (async) await writer.WriteAsync(data);
            else writer.Write(data);
        }
        for (int i = 1; i <= 20; i++)
        {
            int n = async ? await reader.ReadAsync(buffer).AsTask().WaitAsync(Long) : reader.Read(buffer);
            Assert.Equal(i, n); // never joined with the next message
            Assert.Equal(Enumerable.Range(0, i).Select(b => (byte)(b + i)), buffer[..n]);
        }
    }

    [Theory]
    [InlineData("inproc", false)]
    [InlineData("tcp", true)]
    public async Task A_frame_larger_than_the_buffer_comes_in_pieces_and_the_next_frame_after_it(string transport, bool async)
    {
        var (push, pull) = Pipeline(transport);
        using var reader = new SocketStream(pull);
        var big = new byte[100_000];
        Random.Shared.NextBytes(big);
        push.Send(big);
        push.Send("next"u8);
        var got = new MemoryStream();
        var buffer = new byte[777];
        while (got.Length < big.Length)
        {
            int n = async ? await reader.ReadAsync(buffer).AsTask().WaitAsync(Long) : reader.Read(buffer);
            Assert.InRange(n, 1, Math.Min(buffer.Length, big.Length - (int)got.Length)); // never past the frame's end
            got.Write(buffer, 0, n);
        }
        Assert.Equal(big, got.ToArray());
        Assert.Equal(4, reader.Read(buffer));
        Assert.Equal("next"u8.ToArray(), buffer[..4]);
        Assert.Equal(-1, ReadByteWithin(reader, 0)); // nothing queued: the byte read waits (time-out below)
    }

    /// <summary>ReadByte with a read time-out: -1 stands for "timed out" here (an IOException).</summary>
    private static int ReadByteWithin(SocketStream s, int ms)
    {
        s.ReadTimeout = Math.Max(ms, 20);
        try
        {
            return s.ReadByte();
        }
        catch (IOException e) when (e.InnerException is ZmqTimeoutException)
        {
            return -1;
        }
        finally
        {
            s.ReadTimeout = Timeout.Infinite;
        }
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task Over_a_ROUTER_a_write_goes_to_the_peer_of_the_last_read(string transport)
    {
        var router = Make(c => new RouterSocket(context: c));
        router.Bind(transport == "tcp" ? "tcp://127.0.0.1:*" : $"inproc://stream-router-{Guid.NewGuid():N}");
        var a = Make(c => new DealerSocket(context: c));
        a.RoutingId = "A"u8.ToArray();
        a.Connect(router.LastEndpoint!);
        var b = Make(c => new DealerSocket(context: c));
        b.RoutingId = "B"u8.ToArray();
        b.Connect(router.LastEndpoint!);
        using var stream = new SocketStream(router);
        Assert.Null(stream.Peer);
        Assert.Throws<InvalidOperationException>(() => stream.Write("too early"u8));

        var buffer = new byte[16];
        foreach (var (peer, name) in new[] { (a, "A"), (b, "B"), (a, "A") })
        {
            peer.SendString("hello from " + name);
            int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(Long);
            Assert.Equal("hello from " + name, System.Text.Encoding.UTF8.GetString(buffer, 0, n)); // the body only
            Assert.Equal(name, System.Text.Encoding.UTF8.GetString(stream.Peer!));
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes("to " + name));
            Assert.Equal("to " + name, peer.ReceiveString());
        }
        stream.Peer = "B"u8.ToArray(); // goczmq's SetLastClientID
        stream.Write("set by hand"u8);
        Assert.Equal("set by hand", b.ReceiveString());
        Assert.False(a.TryReceive(out _));
    }

    [Fact]
    public void A_multipart_message_is_an_IOException_naming_the_socket_and_the_stream_goes_on()
    {
        var (push, pull) = Pipeline("inproc");
        using var stream = new SocketStream(pull);
        push.SendFrames("one"u8.ToArray(), "two"u8.ToArray(), "three"u8.ToArray());
        push.Send("after"u8);
        var buffer = new byte[16];
        var e = Assert.Throws<IOException>(() => stream.Read(buffer));
        Assert.Contains("PULL socket", e.Message);
        Assert.Contains("3-frame message", e.Message);
        Assert.Equal(ZmqError.InvalidMessage, Assert.IsType<ZmqException>(e.InnerException).Error);
        Assert.Equal(5, stream.Read(buffer)); // the bad message was dropped, the next one reads
    }

    [Fact]
    public async Task Over_a_ROUTER_a_body_of_more_than_one_frame_is_refused_too()
    {
        var (router, dealer) = Pair("inproc", c => new RouterSocket(context: c), c => new DealerSocket(context: c));
        using var stream = new SocketStream(router);
        dealer.SendFrames("a"u8.ToArray(), "b"u8.ToArray());
        var e = await Assert.ThrowsAsync<IOException>(async () => await stream.ReadAsync(new byte[8]).AsTask().WaitAsync(Long));
        Assert.Contains("ROUTER socket", e.Message);
        Assert.Contains("2 frames after the routing id", e.Message);
    }

    [Fact]
    public void Empty_frames_carry_no_bytes_and_are_skipped_and_an_empty_write_sends_nothing()
    {
        var (push, pull) = Pipeline("inproc");
        using var writer = new SocketStream(push);
        using var reader = new SocketStream(pull);
        push.Send(ReadOnlySpan<byte>.Empty);
        writer.Write(ReadOnlySpan<byte>.Empty);
        push.Send("x"u8);
        var buffer = new byte[4];
        Assert.Equal(1, reader.Read(buffer));
        Assert.False(pull.TryReceive(out _)); // the empty write sent nothing
    }

    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task Cancelling_a_read_throws_and_the_stream_reads_on(string transport)
    {
        var (push, pull) = Pipeline(transport);
        using var stream = new SocketStream(pull);
        using var cts = new CancellationTokenSource();
        var read = stream.ReadAsync(new byte[8], cts.Token);
        await Task.Delay(Short);
        Assert.False(read.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read.AsTask().WaitAsync(Long));
        push.Send("ok"u8);
        Assert.Equal(2, await stream.ReadAsync(new byte[8]).AsTask().WaitAsync(Long));
    }

    [Fact]
    public async Task A_write_waits_at_the_HWM_and_cancelling_it_sends_nothing()
    {
        var (push, pull) = Pipeline("inproc", hwm: 1);
        using var stream = new SocketStream(push);
        int sent = 0;
        while (push.TrySend("fill"u8)) sent++;
        using var cts = new CancellationTokenSource();
        var write = stream.WriteAsync("late"u8.ToArray(), cts.Token);
        await Task.Delay(Short);
        Assert.False(write.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await write.AsTask().WaitAsync(Long));
        var resumed = stream.WriteAsync("later"u8.ToArray());
        for (int i = 0; i < sent; i++) Assert.Equal("fill", pull.ReceiveString());
        await resumed.AsTask().WaitAsync(Long);
        Assert.Equal("later", pull.ReceiveString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Once_the_socket_is_disposed_reads_return_0_and_writes_throw(bool async)
    {
        var (push, pull) = Pipeline("inproc");
        using var reader = new SocketStream(pull);
        using var writer = new SocketStream(push);
        var pending = async ? reader.ReadAsync(new byte[8]).AsTask() : Task.Run(() => reader.Read(new byte[8]));
        await Task.Delay(Short);
        pull.Dispose();
        Assert.Equal(0, await pending.WaitAsync(Long));
        Assert.Equal(0, reader.Read(new byte[8]));
        Assert.Equal(-1, reader.ReadByte());
        push.Dispose();
        var e = Assert.Throws<IOException>(() => writer.Write("x"u8));
        Assert.Equal(ZmqError.Disposed, Assert.IsType<ZmqException>(e.InnerException).Error);
        await Assert.ThrowsAsync<IOException>(async () => await writer.WriteAsync("x"u8.ToArray()));
    }

    [Fact]
    public async Task CopyToAsync_copies_until_the_socket_closes()
    {
        var (push, pull) = Pipeline("inproc");
        using var stream = new SocketStream(pull);
        var sink = new MemoryStream();
        var copy = stream.CopyToAsync(sink);
        push.Send("abc"u8);
        push.Send("def"u8);
        for (var deadline = DateTime.UtcNow + Long; sink.Length < 6 && DateTime.UtcNow < deadline;) await Task.Delay(10);
        pull.Dispose();
        await copy.WaitAsync(Long);
        Assert.Equal("abcdef"u8.ToArray(), sink.ToArray());
    }

    [Fact]
    public void Time_outs_are_the_sockets_and_elapse_as_IOExceptions()
    {
        var (push, pull) = Pipeline("inproc", hwm: 1);
        using var reader = new SocketStream(pull);
        using var writer = new SocketStream(push);
        reader.ReadTimeout = 30;
        Assert.Equal(TimeSpan.FromMilliseconds(30), pull.ReceiveTimeout);
        Assert.IsType<ZmqTimeoutException>(Assert.Throws<IOException>(() => reader.Read(new byte[4])).InnerException);
        writer.WriteTimeout = 30;
        while (push.TrySend("fill"u8)) { }
        Assert.IsType<ZmqTimeoutException>(Assert.Throws<IOException>(() => writer.Write("x"u8)).InnerException);
        reader.ReadTimeout = Timeout.Infinite;
        Assert.Equal(Timeout.InfiniteTimeSpan, pull.ReceiveTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadTimeout = -2);
    }

    [Fact]
    public void What_a_socket_stream_can_do_follows_the_socket_type()
    {
        var (push, pull) = Pipeline("inproc");
        using var reader = new SocketStream(pull);
        using var writer = new SocketStream(push);
        Assert.True(reader.CanRead);
        Assert.False(reader.CanWrite);
        Assert.False(writer.CanRead);
        Assert.True(writer.CanWrite);
        Assert.False(reader.CanSeek);
        Assert.True(reader.CanTimeout);
        Assert.Throws<NotSupportedException>(() => reader.Write("x"u8));
        Assert.Throws<NotSupportedException>(() => writer.Read(new byte[1]));
        Assert.Throws<NotSupportedException>(() => reader.Length);
        Assert.Throws<NotSupportedException>(() => reader.Position);
        Assert.Throws<NotSupportedException>(() => reader.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => reader.SetLength(1));
        Assert.Throws<NotSupportedException>(() => reader.Peer = [1]);
        reader.Flush();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disposing_the_stream_disposes_the_socket_only_when_it_owns_it(bool owns)
    {
        var (_, pull) = Pipeline("inproc");
        var stream = new SocketStream(pull, ownsSocket: owns);
        await stream.DisposeAsync();
        Assert.Equal(owns, pull.IsDisposed);
        Assert.False(stream.CanRead);
        Assert.Throws<ObjectDisposedException>(() => stream.Read(new byte[1]));
        var other = new SocketStream(Make(c => new PullSocket(context: c)), ownsSocket: owns);
        other.Dispose();
        Assert.Equal(owns, other.Socket.IsDisposed);
    }
}
