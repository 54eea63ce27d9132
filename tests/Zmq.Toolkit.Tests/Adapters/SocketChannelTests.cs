namespace Zmq.Toolkit.Tests.Adapters;

/// <summary>SocketChannel: both halves over one socket, independent; one-way types refused; ownsSocket.</summary>
public sealed class SocketChannelTests : AdapterFixture
{
    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task Requests_and_replies_go_through_the_two_halves(string transport)
    {
        var (server, client) = Pair(transport, c => new DealerSocket(context: c), c => new DealerSocket(context: c));
        using var channel = client.AsChannel();
        Assert.Same(client, channel.Socket);
        var echo = Task.Run(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                using var m = server.Receive();
                server.Send(m);
            }
        });
        using var cts = new CancellationTokenSource(Long);
        for (int i = 0; i < 100; i++) await channel.Writer.WriteAsync(Numbered(i), cts.Token);
        int expected = 0;
        await foreach (var reply in channel.Reader.ReadAllAsync(cts.Token))
        {
            using (reply) Assert.Equal(expected, Number(reply));
            if (++expected == 100) break;
        }
        await echo.WaitAsync(Long);
    }

    [Fact]
    public async Task Completing_the_writer_leaves_the_reader_reading()
    {
        var (server, client) = Pair("inproc", c => new PairSocket(context: c), c => new PairSocket(context: c));
        using var channel = new SocketChannel(client);
        channel.Writer.Complete();
        server.Send(Bytes(4));
        using var m = await channel.Reader.ReadAsync().AsTask().WaitAsync(Long);
        Assert.Equal(4, Number(m));
        Assert.False(channel.Reader.Completion.IsCompleted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_ends_both_halves_and_disposes_the_socket_only_when_owned(bool owns)
    {
        var (_, client) = Pair("inproc", c => new DealerSocket(context: c), c => new DealerSocket(context: c));
        var channel = client.AsChannel(ownsSocket: owns);
        if (owns) await channel.DisposeAsync();
        else channel.Dispose();
        await channel.Reader.Completion.WaitAsync(Long);
        Assert.False(channel.Writer.TryWrite(Numbered(1)));
        Assert.Equal(owns, client.IsDisposed);
    }

    [Theory]
    [InlineData(SocketType.Push)]
    [InlineData(SocketType.Pull)]
    [InlineData(SocketType.Pub)]
    [InlineData(SocketType.Sub)]
    public void One_way_sockets_are_refused_naming_the_halves_to_use(SocketType type)
    {
        Socket s = type switch
        {
            SocketType.Push => Make(c => new PushSocket(context: c)),
            SocketType.Pull => Make(c => new PullSocket(context: c)),
            SocketType.Pub => Make(c => new PubSocket(context: c)),
            _ => Make(c => new SubSocket(context: c)),
        };
        var e = Assert.Throws<ArgumentException>(() => new SocketChannel(s));
        Assert.Contains(type.ToString().ToUpperInvariant(), e.Message);
        Assert.Contains("AsChannelReader or AsChannelWriter", e.Message);
    }

    [Fact]
    public void A_disposed_socket_is_refused()
    {
        var s = Make(c => new DealerSocket(context: c));
        s.Dispose();
        Assert.Equal(ZmqError.Disposed, Assert.Throws<ZmqException>(() => s.AsChannel()).Error);
        Assert.Equal(ZmqError.Disposed, Assert.Throws<ZmqException>(() => s.AsChannelReader()).Error);
        Assert.Equal(ZmqError.Disposed, Assert.Throws<ZmqException>(() => s.AsChannelWriter()).Error);
    }
}
