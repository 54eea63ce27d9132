using Zmq.Wire;

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

    public override IEnumerator<HandshakeWait> Run(IHandshakeChannel ch)
    {
        if (ch.Settings.ZapDomain.Length > 0)
        {
            foreach (var wait in Authenticate(ch, "NULL")) yield return wait;
            if (!ZapAnswered) NoHandler(ch, "NULL");
        }
        ch.SendCommand(Zmtp.Ready, ch.Settings.OwnMetadata);

        yield return HandshakeWait.Command;
        if (ch.CommandName.SequenceEqual(Zmtp.Error)) throw PeerError(ch.CommandData);
        if (!ch.CommandName.SequenceEqual(Zmtp.Ready)) throw Unexpected(ch.CommandName, "READY");
        AcceptPeerMetadata(ch, ch.CommandData, ZmqProtocolError.ZmtpInvalidMetadata);
    }
}
