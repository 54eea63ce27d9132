namespace Zmq.Tests;

/// <summary>Option values, defaults and validation (no network).</summary>
public class SocketOptionsTests
{
    [Fact]
    public void Defaults()
    {
        using var s = new DealerSocket();
        Assert.Equal(1000, s.SendHighWatermark);
        Assert.Equal(1000, s.ReceiveHighWatermark);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Linger);
        Assert.Equal(Timeout.InfiniteTimeSpan, s.SendTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, s.ReceiveTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), s.ReconnectInterval);
        Assert.Equal(TimeSpan.Zero, s.ReconnectIntervalMax);
        Assert.Equal(TimeSpan.FromSeconds(30), s.HandshakeInterval);
        Assert.Equal(-1, s.MaxMessageSize);
        Assert.Null(s.RoutingId);
        Assert.Null(s.LastEndpoint);
        Assert.Equal(SocketType.Dealer, s.Type);
        Assert.Same(Context.Default, s.Context);
        Assert.Equal("DEALER socket", s.ToString());
    }

    [Fact]
    public void Values_RoundTrip()
    {
        using var s = new RouterSocket();
        s.SendHighWatermark = 0;
        s.ReceiveHighWatermark = 7;
        s.Linger = Timeout.InfiniteTimeSpan;
        s.SendTimeout = TimeSpan.FromMilliseconds(1.5); // rounded up to whole ms
        s.ReceiveTimeout = TimeSpan.Zero;
        s.ReconnectInterval = Timeout.InfiniteTimeSpan;
        s.MaxMessageSize = 0;
        s.Mandatory = true;
        Assert.Equal(0, s.SendHighWatermark);
        Assert.Equal(7, s.ReceiveHighWatermark);
        Assert.Equal(Timeout.InfiniteTimeSpan, s.Linger);
        Assert.Equal(TimeSpan.FromMilliseconds(2), s.SendTimeout);
        Assert.Equal(TimeSpan.Zero, s.ReceiveTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, s.ReconnectInterval);
        Assert.Equal(0, s.MaxMessageSize);
        Assert.True(s.Mandatory);
        s.Linger = TimeSpan.Zero;
    }

    [Fact]
    public void RoutingId_IsCopied()
    {
        using var s = new DealerSocket();
        var id = "abc"u8.ToArray();
        s.RoutingId = id;
        id[0] = (byte)'z';
        Assert.Equal("abc"u8.ToArray(), s.RoutingId);
        s.RoutingId = null;
        Assert.Null(s.RoutingId);
        var longest = new byte[255];
        longest[0] = 1;
        s.RoutingId = longest;
        Assert.Equal(255, s.RoutingId!.Length);
    }

    public static TheoryData<string, Action<Socket>> BadValues => new()
    {
        { "negative SNDHWM", s => s.SendHighWatermark = -1 },
        { "negative RCVHWM", s => s.ReceiveHighWatermark = -5 },
        { "negative linger", s => s.Linger = TimeSpan.FromMilliseconds(-2) },
        { "huge linger", s => s.Linger = TimeSpan.FromDays(365) },
        { "negative SNDTIMEO", s => s.SendTimeout = TimeSpan.FromSeconds(-1) },
        { "negative RCVTIMEO", s => s.ReceiveTimeout = TimeSpan.FromSeconds(-1) },
        { "negative HANDSHAKE_IVL", s => s.HandshakeInterval = TimeSpan.FromSeconds(-1) },
        { "negative RECONNECT_IVL_MAX", s => s.ReconnectIntervalMax = TimeSpan.FromSeconds(-1) },
        { "MAXMSGSIZE below -1", s => s.MaxMessageSize = -2 },
        { "empty routing id", s => s.RoutingId = [] },
        { "routing id over 255 bytes", s => s.RoutingId = new byte[256] },
        { "routing id starting with 0", s => s.RoutingId = [0, 1] },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void BadValues_ThrowInvalidOption(string what, Action<Socket> set)
    {
        using var s = new DealerSocket();
        var ex = Assert.Throws<ZmqException>(() => set(s));
        Assert.Equal(ZmqError.InvalidOption, ex.Error);
        Assert.Equal(SocketType.Dealer, ex.SocketType);
        Assert.Contains("option", ex.Message);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void NegativeReconnectInterval_DisablesReconnect()
    {
        using var s = new DealerSocket();
        s.ReconnectInterval = TimeSpan.FromSeconds(-3);
        Assert.Equal(Timeout.InfiniteTimeSpan, s.ReconnectInterval);
    }

    [Theory]
    [InlineData(SocketType.Pull, "sending")]
    [InlineData(SocketType.Sub, "sending")]
    [InlineData(SocketType.Push, "receiving")]
    [InlineData(SocketType.Pub, "receiving")]
    public void UnsupportedDirection_ThrowsNotSupported(SocketType type, string what)
    {
        using var scope = new Infrastructure.SocketScope();
        var s = scope.Create(type);
        var ex = what == "sending"
            ? Assert.Throws<ZmqException>(() => s.TrySend("x"u8))
            : Assert.Throws<ZmqException>(() => s.TryReceive(out _));
        Assert.Equal(ZmqError.NotSupported, ex.Error);
        Assert.Contains(what, ex.Message);
    }

    [Fact]
    public void EmptyMultipart_IsRejected()
    {
        using var s = new DealerSocket();
        Assert.Throws<ArgumentException>(() => s.SendFrames(ReadOnlySpan<byte[]>.Empty));
        Assert.Throws<ArgumentException>(() => s.SendFrames(ReadOnlySpan<string>.Empty));
    }

    [Fact]
    public void OwnContext_IsUsed()
    {
        using var ctx = new Context();
        using var s = new PairSocket(context: ctx);
        Assert.Same(ctx, s.Context);
    }
}
