using System.Net;
using System.Net.Sockets;

namespace Zmq.Interop.Tests;

/// <summary>Lifecycle against a libzmq peer in another process: killed and restarted on the same port.</summary>
public sealed class ProcessPeerTests
{
    private static int FreePort() => Zmq.Tests.Infrastructure.Ports.Free();

    [SkippableFact]
    public void PeerKilledAndRestartedOnTheSamePort_IsReconnected()
    {
        LibZmqRequired.Check();
        PyZmqPeer.Require();
        string ep = $"tcp://127.0.0.1:{FreePort()}";
        using var push = new PushSocket { Linger = TimeSpan.Zero, ReconnectInterval = TimeSpan.FromMilliseconds(20), SendTimeout = TimeSpan.FromSeconds(5) };

        using (var first = PyZmqPeer.PullBound(ep))
        {
            Assert.True(first.WaitFor("ready", TimeSpan.FromSeconds(10)), "python PULL did not start");
            push.Connect(ep);
            push.SendString("before");
            Assert.True(first.WaitFor("before", TimeSpan.FromSeconds(5)), "first peer did not receive");
            first.Kill(); // SIGKILL: no goodbye on the wire
        }

        using var second = PyZmqPeer.PullBound(ep);
        Assert.True(second.WaitFor("ready", TimeSpan.FromSeconds(10)), "restarted python PULL did not start (port still held?)");
        // Our side notices the dead connection and reconnects; keep sending until the new peer hears us.
        bool heard = false;
        for (int i = 0; i < 100 && !heard; i++)
        {
            push.SendString("after" + i);
            heard = second.WaitFor("after" + i, TimeSpan.FromMilliseconds(100));
        }
        Assert.True(heard, "the restarted peer never received anything: no reconnect");
        for (int i = 0; i < 20; i++) push.SendString("tail" + i);
        Assert.True(second.WaitFor("tail19", TimeSpan.FromSeconds(5)), "messages after the reconnect were lost");
    }
}
