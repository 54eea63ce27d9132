using System.Text;
using Zmq.Wire;

namespace Zmq.Security;

/// <summary>PLAIN client (RFC 24): HELLO with user name and password, WELCOME, INITIATE with our metadata, READY with the server's.</summary>
internal sealed class PlainClient(string username, string password) : Mechanism
{
    public override string Name => "PLAIN";

    public override bool AsServer => false;

    public override IEnumerator<HandshakeWait> Run(IHandshakeChannel ch)
    {
        int u = Encoding.UTF8.GetByteCount(username), p = Encoding.UTF8.GetByteCount(password);
        var hello = new byte[2 + u + p];
        hello[0] = (byte)u;
        Encoding.UTF8.GetBytes(username, hello.AsSpan(1));
        hello[1 + u] = (byte)p;
        Encoding.UTF8.GetBytes(password, hello.AsSpan(2 + u));
        ch.SendCommand("HELLO"u8, hello);

        yield return HandshakeWait.Command;
        if (ch.CommandName.SequenceEqual(Zmtp.Error)) throw PeerError(ch.CommandData);
        if (!ch.CommandName.SequenceEqual("WELCOME"u8)) throw Unexpected(ch.CommandName, "WELCOME");
        if (ch.CommandData.Length != 0) throw Violation("malformed PLAIN WELCOME (it carries no data)", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandWelcome);

        ch.SendCommand("INITIATE"u8, ch.Settings.OwnMetadata);

        yield return HandshakeWait.Command;
        if (ch.CommandName.SequenceEqual(Zmtp.Error)) throw PeerError(ch.CommandData);
        if (!ch.CommandName.SequenceEqual(Zmtp.Ready)) throw Unexpected(ch.CommandName, "READY");
        AcceptPeerMetadata(ch, ch.CommandData, ZmqProtocolError.ZmtpMalformedCommandReady);
    }
}
