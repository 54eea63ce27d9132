using System.Text;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Security;

/// <summary>
/// A hand-driven PLAIN client (RFC 24, PROTOCOL-NOTES §2.6) on a <see cref="RawPeer"/>:
/// HELLO = ulen user plen password, WELCOME (empty), INITIATE = metadata, READY = metadata.
/// </summary>
internal sealed class RawPlainClient(RawPeer peer) : IDisposable
{
    public RawPeer Peer { get; } = peer;

    public static RawPlainClient Connect(string endpoint) => new(RawPeer.Connect(endpoint));

    /// <summary>Sends a PLAIN client greeting and reads the server's (which must say PLAIN, as-server).</summary>
    public void Greet()
    {
        Peer.Send(RawPeer.Greeting(mechanism: "PLAIN"));
        var theirs = Peer.ReadExactly(64);
        Assert.Equal("PLAIN", RawCurveClient.MechanismOf(theirs));
        Assert.Equal(1, theirs[32]);
    }

    /// <summary>The HELLO data: ulen, user, plen, password.</summary>
    public static byte[] HelloData(string user, string password)
    {
        byte[] u = Encoding.UTF8.GetBytes(user), p = Encoding.UTF8.GetBytes(password);
        return [(byte)u.Length, .. u, (byte)p.Length, .. p];
    }

    public void SendHello(string user, string password) => Peer.Send(RawPeer.Command("HELLO", HelloData(user, password)));

    /// <summary>Sends a HELLO whose data is exactly <paramref name="data"/> (e.g. truncated).</summary>
    public void SendHelloData(byte[] data) => Peer.Send(RawPeer.Command("HELLO", data));

    public void SendInitiate(string socketType) =>
        Peer.Send(RawPeer.Command("INITIATE", RawPeer.Properties(("Socket-Type", Encoding.ASCII.GetBytes(socketType)))));

    /// <summary>Reads one command frame: (name, data).</summary>
    public (string Name, byte[] Data) ReadCommand()
    {
        var (flags, body) = Peer.ReadFrame();
        Assert.True((flags & 4) != 0, $"expected a command frame, got flags {flags:X2}");
        return (Encoding.ASCII.GetString(body, 1, body[0]), body[(1 + body[0])..]);
    }

    public void Dispose() => Peer.Dispose();
}
