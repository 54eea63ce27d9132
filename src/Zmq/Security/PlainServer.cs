using Zmq.Diagnostics;
using Zmq.Engine;

namespace Zmq.Security;

/// <summary>
/// PLAIN server (RFC 24): reads HELLO, asks the ZAP handler about the user name and password
/// (required: as in libzmq, without a handler every client is refused), then WELCOME, INITIATE,
/// READY. A refusal is answered with ERROR and the status code.
/// </summary>
internal sealed class PlainServer : Mechanism
{
    public override string Name => "PLAIN";

    public override bool AsServer => true;

    public override void Handshake(IHandshakeChannel ch)
    {
        ch.ReadCommand(out var name, out var data);
        if (!name.SequenceEqual("HELLO"u8)) throw Unexpected(name, "HELLO");
        if (data.Length < 1 || data.Length < 1 + data[0] + 1 || data.Length != 1 + data[0] + 1 + data[1 + data[0]])
            throw Violation("malformed PLAIN HELLO", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandHello);
        byte[] user = data.Slice(1, data[0]).ToArray();
        byte[] password = data.Slice(2 + data[0]).ToArray();

        if (!Authenticate(ch, "PLAIN", user, password))
            throw new ZmtpConnection.ProtocolViolation(
                $"a PLAIN server needs a ZAP handler bound at {Zap.Endpoint} in its context (e.g. new Authenticator(context)); none is, so the client is refused",
                CloseKind.NoZapHandler);
        ch.SendCommand("WELCOME"u8, []);

        ch.ReadCommand(out name, out data);
        if (!name.SequenceEqual("INITIATE"u8)) throw Unexpected(name, "INITIATE");
        AcceptPeerMetadata(ch, data, ZmqProtocolError.ZmtpMalformedCommandInitiate);
        ch.SendCommand(Zmtp.Ready, OwnMetadata(ch.Owner));
    }
}
