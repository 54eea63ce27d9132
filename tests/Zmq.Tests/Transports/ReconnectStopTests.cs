using Zmq.Tests.Infrastructure;
using static Zmq.Tests.Diagnostics.MonitorExpect;

namespace Zmq.Tests.Transports;

/// <summary>RECONNECT_STOP: a connecting socket gives up on an endpoint after a refused handshake or connect, only when asked.</summary>
public sealed class ReconnectStopTests
{
    /// <summary>Events of any of the <paramref name="types"/> seen within <paramref name="period"/>.</summary>
    /// <summary>Events of <paramref name="types"/> within <paramref name="period"/>; stops early once <paramref name="enough"/> came.</summary>
    private static int Attempts(SocketMonitor mon, MonitorEventType types, TimeSpan period, int enough = int.MaxValue)
    {
        int n = 0;
        var end = DateTime.UtcNow + period;
        while (DateTime.UtcNow < end && n < enough)
            if (mon.TryRead(TimeSpan.FromMilliseconds(20), out var e) && (e.Type & types) != 0) n++;
        return n;
    }

    [Theory]
    [InlineData(ReconnectStop.None, true)]
    [InlineData(ReconnectStop.HandshakeFailed, false)]
    public void Refused_handshake_stops_reconnecting_only_with_the_flag(ReconnectStop stop, bool keepsTrying)
    {
        using var scope = new SocketScope();
        var server = CurveKeyPair.Generate();
        var pull = scope.Pull();
        pull.MakeCurveServer(server);
        pull.Bind("tcp://127.0.0.1:*");
        var push = scope.Push();
        push.ReconnectStop = stop;
        push.MakeCurveClient(CurveKeyPair.Generate().PublicKey); // the wrong server key: every handshake fails
        const MonitorEventType failed = MonitorEventType.HandshakeFailedProtocol | MonitorEventType.HandshakeFailedNoDetail;
        using var mon = push.Monitor(failed);
        push.Connect(pull.LastEndpoint!);
        var first = Next(mon);
        Assert.True((first.Type & failed) != 0, $"expected a handshake failure, got {first}");
        if (keepsTrying)
        {
            // About 25 a second at this interval; with all four test assemblies running at once on
            // two cores one run saw none in its first second, so it gets 5 s to show two more.
            int more = Attempts(mon, failed, TimeSpan.FromSeconds(5), enough: 2);
            Assert.True(more >= 2, $"only {more} further handshake attempts in 5 s at a 20 ms reconnect interval");
        }
        else
        {
            Assert.Equal(0, Attempts(mon, failed, TimeSpan.FromSeconds(1)));
        }
    }

    [Fact]
    public void Refused_connect_stops_with_the_flag()
    {
        using var scope = new SocketScope();
        var push = scope.Push();
        push.ReconnectStop = ReconnectStop.ConnectionRefused;
        using var mon = push.Monitor(MonitorEventType.ConnectRetried | MonitorEventType.Closed);
        push.Connect($"tcp://127.0.0.1:{Ports.Free()}");
        Expect(mon, MonitorEventType.Closed);
        Assert.Equal(0, Attempts(mon, MonitorEventType.ConnectRetried, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void Option_by_number_takes_libzmqs_values()
    {
        using var s = new DealerSocket();
        s.SetOption(SocketOption.ReconnectStop, 3);
        Assert.Equal(ReconnectStop.ConnectionRefused | ReconnectStop.HandshakeFailed, s.ReconnectStop);
        Assert.Equal(3, s.GetOption(SocketOption.ReconnectStop));
        Assert.Throws<ZmqException>(() => s.SetOption(SocketOption.ReconnectStop, 8));
    }
}
