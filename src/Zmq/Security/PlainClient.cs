using System.Text;
using Zmq.Engine;

namespace Zmq.Security;

/// <summary>PLAIN client (RFC 24): HELLO with user name and password, WELCOME, INITIATE with our metadata, READY with the server's.</summary>
internal sealed class PlainClient(string username, string password) : Mechanism
{
    public override string Name => "PLAIN";

    public override bool AsServer => false;

    public override void Handshake(IHandshakeChannel ch)
    {
        int u = Encoding.UTF8.GetByteCount(username), p = Encoding.UTF8.GetByteCount(password);
        var hello = new byte[2 + u + p];
        hello[0] = (byte)u;
        Encoding.UTF8.GetBytes(username, hello.AsSpan(1));
        hello[1 + u] = (byte)p;
        Encoding.UTF8.GetBytes(password, hello.AsSpan(2 + u));
        ch.SendCommand("HELLO"u8, hello);

        ch.ReadCommand(out var name, out var data);
        if (name.SequenceEqual(Zmtp.Error)) throw PeerError(data);
        if (!name.SequenceEqual("WELCOME"u8)) throw Unexpected(name, "WELCOME");
        if (data.Length != 0) throw Violation("malformed PLAIN WELCOME (it carries no data)", Diagnostics.CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandWelcome);

        ch.SendCommand("INITIATE"u8, OwnMetadata(ch.Owner));

        ch.ReadCommand(out name, out data);
        if (name.SequenceEqual(Zmtp.Error)) throw PeerError(data);
        if (!name.SequenceEqual(Zmtp.Ready)) throw Unexpected(name, "READY");
        AcceptPeerMetadata(ch, data, ZmqProtocolError.ZmtpMalformedCommandReady);
    }
}
