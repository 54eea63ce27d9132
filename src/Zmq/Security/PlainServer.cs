using Zmq.Wire;

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

    public override IEnumerator<HandshakeWait> Run(IHandshakeChannel ch)
    {
        yield return HandshakeWait.Command;
        if (!ch.CommandName.SequenceEqual("HELLO"u8)) throw Unexpected(ch.CommandName, "HELLO");
        byte[] user, password;
        {
            var data = ch.CommandData;
            if (data.Length < 1 || data.Length < 1 + data[0] + 1 || data.Length != 1 + data[0] + 1 + data[1 + data[0]])
                throw Violation("malformed PLAIN HELLO", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandHello);
            user = data.Slice(1, data[0]).ToArray();
            password = data.Slice(2 + data[0]).ToArray();
        }

        foreach (var wait in Authenticate(ch, "PLAIN", user, password)) yield return wait;
        if (!ZapAnswered)
            throw new ZmtpException(
                $"a PLAIN server needs a ZAP handler bound at {Zap.Endpoint} in its context (e.g. Zmq.Toolkit's new Authenticator(context)); none is, so the client is refused",
                CloseKind.NoZapHandler);
        ch.SendCommand("WELCOME"u8, []);

        yield return HandshakeWait.Command;
        if (!ch.CommandName.SequenceEqual("INITIATE"u8)) throw Unexpected(ch.CommandName, "INITIATE");
        AcceptPeerMetadata(ch, ch.CommandData, ZmqProtocolError.ZmtpMalformedCommandInitiate);
        ch.SendCommand(Zmtp.Ready, ch.Settings.OwnMetadata);
    }
}
