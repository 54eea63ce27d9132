using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Security;

/// <summary>
/// Mutation fuzzing of the CURVE server: valid HELLO, INITIATE and MESSAGE frames with random bytes
/// changed, cut or appended (header included), a few hundred of them with a fixed seed. The server
/// must never deliver a corrupted message, never fail internally, and keep serving a good client.
/// </summary>
public sealed class CurveFuzzTests
{
    private static byte[] Mutate(Random rng, byte[] frame)
    {
        var f = frame.ToArray();
        switch (rng.Next(4))
        {
            case 0: // flip a few random bits anywhere (header included)
                for (int i = 0, n = 1 + rng.Next(3); i < n; i++) f[rng.Next(f.Length)] ^= (byte)(1 << rng.Next(8));
                return f;
            case 1: // overwrite a byte
                f[rng.Next(f.Length)] = (byte)rng.Next(256);
                return f;
            case 2: // cut it short (the connection is then closed by us, so the server sees a truncated frame)
                return f[..rng.Next(1, f.Length)];
            default: // garbage appended after a valid frame
                var extra = new byte[1 + rng.Next(40)];
                rng.NextBytes(extra);
                return [.. f, .. extra];
        }
    }

    [Fact]
    public void Mutated_handshakes_and_messages_never_deliver_garbage_nor_break_the_server()
    {
        using var scope = new SocketScope();
        var keys = CurveKeyPair.Generate();
        var pull = scope.Pull();
        pull.HandshakeInterval = TimeSpan.FromMilliseconds(500);
        pull.MakeCurveServer(keys);
        pull.Bind("tcp://127.0.0.1:*");
        using var mon = pull.Monitor(MonitorEventType.HandshakeFailedNoDetail);
        var rng = new Random(4242);
        int delivered = 0;

        for (int round = 0; round < 150; round++)
        {
            using var c = RawCurveClient.Connect(pull.LastEndpoint!, keys.PublicKey);
            c.Greet();
            int stage = round % 3;
            try
            {
                if (stage == 0)
                {
                    c.Peer.Send(Mutate(rng, c.HelloFrame()));
                }
                else
                {
                    c.SendHello();
                    c.ReadWelcome();
                    if (stage == 1)
                    {
                        c.Peer.Send(Mutate(rng, c.InitiateFrame()));
                    }
                    else
                    {
                        c.SendInitiate();
                        c.ReadReady();
                        c.Peer.Send(Mutate(rng, c.MessageFrame("payload-"u8.ToArray())));
                    }
                }
                c.Peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                // The server may hang up before we finish: that is a refusal.
            }
            while (pull.TryReceive(TimeSpan.Zero, out var m))
                using (m)
                {
                    // A mutation can leave the box intact only by touching bytes outside it (e.g. garbage appended):
                    // then the one valid message may arrive, never anything else.
                    Assert.Equal("payload-", m.GetString(0));
                    delivered++;
                }
        }

        var push = scope.Push();
        push.MakeCurveClient(keys.PublicKey);
        push.Connect(pull.LastEndpoint!);
        push.SendString("still serving");
        while (true)
        {
            using var m = pull.Receive(); // bounded by the scope's receive time-out
            if (m.GetString(0) == "still serving") break;
            Assert.Equal("payload-", m.GetString(0)); // late arrivals of intact messages only
            delivered++;
        }

        // Internal failures would be HANDSHAKE_FAILED_NO_DETAIL with EFAULT (14).
        while (mon.TryRead(out var e)) Assert.NotEqual(14, e.Value);
        Assert.True(delivered < 50, $"{delivered} of 50 mutated messages were delivered");
    }
}
