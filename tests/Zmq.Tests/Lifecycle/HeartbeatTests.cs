using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Lifecycle;

/// <summary>ZMTP 3.1 heartbeats: PING/PONG on the wire, dropping silent peers, keeping live ones.</summary>
public sealed class HeartbeatTests : IDisposable
{
    private readonly SocketScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void SilentPeer_IsDroppedWithinTheHeartbeatTimeout_AndGoodPeersStay()
    {
        var pull = _scope.Pull();
        pull.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        pull.HeartbeatTimeout = TimeSpan.FromMilliseconds(300);
        pull.Bind("tcp://127.0.0.1:*");
        var good = _scope.Push();
        good.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
        good.Connect(pull.LastEndpoint!);

        using var silent = RawPeer.Connect(pull.LastEndpoint!);
        silent.Handshake("PUSH");
        var sw = Stopwatch.StartNew();
        var seen = silent.ExpectClosed(TimeSpan.FromSeconds(3)); // it reads our PINGs but never answers
        Assert.InRange(sw.ElapsedMilliseconds, 250, 2500);
        Assert.Contains("PING", Encoding.ASCII.GetString(seen));

        good.SendString("still served");
        Assert.Equal("still served", pull.ReceiveString());
    }

    [Fact]
    public void OurPing_CarriesTheTtl_AndAPeerPingGetsAPongWithItsContext()
    {
        var pull = _scope.Pull();
        pull.HeartbeatInterval = TimeSpan.FromMilliseconds(50);
        pull.HeartbeatTtl = TimeSpan.FromMilliseconds(1500);
        pull.Bind("tcp://127.0.0.1:*");
        using var raw = RawPeer.Connect(pull.LastEndpoint!);
        raw.Handshake("PUSH");

        var (flags, body) = raw.ReadFrame();
        Assert.Equal(4, flags & 4);
        Assert.Equal("PING", Encoding.ASCII.GetString(body, 1, body[0]));
        Assert.Equal(15, BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(1 + body[0]))); // deciseconds

        raw.Send(RawPeer.Command("PING", [0, 0, (byte)'c', (byte)'t', (byte)'x']));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(3))
        {
            var (f, b) = raw.ReadFrame();
            string name = Encoding.ASCII.GetString(b, 1, b[0]);
            if (name == "PING") continue;
            Assert.Equal("PONG", name);
            Assert.Equal("ctx", Encoding.ASCII.GetString(b, 1 + b[0], b.Length - 1 - b[0]));
            return;
        }
        Assert.Fail("no PONG within 3 s");
    }

    [Fact]
    public void PeerTtl_IsEnforced_EvenWithoutOwnHeartbeats()
    {
        var pull = _scope.Pull();
        pull.Bind("tcp://127.0.0.1:*");
        using var raw = RawPeer.Connect(pull.LastEndpoint!);
        raw.Handshake("PUSH");
        raw.Send(RawPeer.Command("PING", [0, 3])); // TTL 300 ms, then silence
        var sw = Stopwatch.StartNew();
        raw.ExpectClosed(TimeSpan.FromSeconds(3));
        Assert.InRange(sw.ElapsedMilliseconds, 200, 2500);
    }

    [Fact]
    public void IdleConnections_WithHeartbeatsOnBothSides_SurviveManyTimeouts()
    {
        var a = _scope.Pair();
        var b = _scope.Pair();
        foreach (var s in new Socket[] { a, b })
        {
            s.HeartbeatInterval = TimeSpan.FromMilliseconds(30);
            s.HeartbeatTimeout = TimeSpan.FromMilliseconds(100);
        }
        a.Bind("tcp://127.0.0.1:*");
        b.Connect(a.LastEndpoint!);
        b.SendString("one");
        Assert.Equal("one", a.ReceiveString());
        var peers = SocketProbe.Peers(a);
        Thread.Sleep(600); // six heartbeat time-outs of idleness
        Assert.Same(peers[0], SocketProbe.Peers(a)[0]); // same bind-side peer: the connection never dropped
        b.SendString("two");
        Assert.Equal("two", a.ReceiveString());
    }

    [Fact]
    public void HeartbeatTtl_OutOfRange_IsRefused()
    {
        var s = _scope.Pull();
        var ex = Assert.Throws<ZmqException>(() => s.HeartbeatTtl = TimeSpan.FromSeconds(7000));
        Assert.Equal(ZmqError.InvalidOption, ex.Error);
    }
}
