using Zmq.Diagnostics;
using Zmq.Engine;

namespace Zmq.Security;

/// <summary>
/// NULL (RFC 37): both sides send READY with their metadata. A side with a ZAP_DOMAIN asks the
/// ZAP handler first (when one is bound), as libzmq does, and sends ERROR instead of READY when
/// the handler refuses.
/// </summary>
internal sealed class NullMechanism : Mechanism
{
    public override string Name => "NULL";

    public override bool AsServer => false;

    public override void Handshake(IHandshakeChannel ch)
    {
        if (ch.Owner.ZapDomain.Length > 0 && !Authenticate(ch, "NULL"))
            NoHandler(ch, "NULL");
        ch.SendCommand(Zmtp.Ready, OwnMetadata(ch.Owner));

        ch.ReadCommand(out var name, out var data);
        if (name.SequenceEqual(Zmtp.Error)) throw PeerError(data);
        if (!name.SequenceEqual(Zmtp.Ready)) throw Unexpected(name, "READY");
        AcceptPeerMetadata(ch, data, ZmqProtocolError.ZmtpInvalidMetadata);
    }
}
