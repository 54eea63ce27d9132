using Zmq.Wire;
using System.Buffers.Binary;
using Zmq.Diagnostics;

namespace Zmq.Security;

/// <summary>
/// CURVE client (RFC 26 as libzmq 4.3 speaks it; layouts in PROTOCOL-NOTES §2.7): HELLO from a fresh
/// transient key C', WELCOME with the server's transient key S' and a cookie, INITIATE with our
/// long-term key C and a vouch [C' + S] boxed from C to S', then READY. Short nonces start at 1.
/// </summary>
internal sealed class CurveClient(byte[] serverKey, byte[] publicKey, byte[] secretKey) : Mechanism
{
    private CurveCodec? _codec;

    public override string Name => "CURVE";

    public override bool AsServer => false;

    public override IFrameCodec? Codec => _codec;

    public override bool IsExpensive => true;

    public override IEnumerator<HandshakeWait> Run(IHandshakeChannel ch)
    {
        var cnPublic = new byte[32];
        var cnSecret = new byte[32];
        var shared = new byte[32];
        var nonce = new byte[Crypto.NonceSize];
        var welcome = new byte[128];
        try
        {
            Crypto.BoxKeypair(cnPublic, cnSecret);
            ulong sendNonce = 1;

            // HELLO: version 1.0, 72 zero bytes, C', short nonce, box[64 zeros] C'->S.
            var hello = new byte[2 + 72 + 32 + 8 + 80];
            hello[0] = 1;
            cnPublic.CopyTo(hello.AsSpan(74));
            BinaryPrimitives.WriteUInt64BigEndian(hello.AsSpan(106), sendNonce);
            CurveNonce.Short(nonce, "CurveZMQHELLO---"u8, sendNonce++);
            Crypto.Box(hello.AsSpan(114, 80), new byte[64], nonce, serverKey, cnSecret);
            ch.SendCommand("HELLO"u8, hello);

            // WELCOME: long nonce(16), box[S'(32) + cookie(96)] S->C'.
            yield return HandshakeWait.Command;
            {
                if (ch.CommandName.SequenceEqual(Zmtp.Error)) throw PeerError(ch.CommandData);
                if (!ch.CommandName.SequenceEqual("WELCOME"u8)) throw Unexpected(ch.CommandName, "WELCOME");
                var data = ch.CommandData;
                if (data.Length != 16 + 144) throw Violation($"malformed CURVE WELCOME ({data.Length} bytes)", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandWelcome);
                CurveNonce.Long(nonce, "WELCOME-"u8, data.Slice(0, 16));
                if (!Crypto.BoxOpen(welcome, data.Slice(16), nonce, serverKey, cnSecret))
                    throw Violation("CURVE WELCOME box failed to open: the server does not hold the secret key of the server key we were given", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpCryptographic);
            }
            {
                var serverTransient = welcome.AsSpan(0, 32);
                var cookie = welcome.AsSpan(32, 96);
                if (!Crypto.TryBoxBeforeNm(shared, serverTransient, cnSecret))
                    throw Violation("CURVE WELCOME announces a weak transient server key", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpCryptographic);

                // INITIATE: cookie, short nonce, box[C + vouch + metadata] C'->S'; vouch = long nonce + box[C' + S] C->S'.
                var metadata = ch.Settings.OwnMetadata;
                var plain = new byte[32 + 16 + 80 + metadata.Length];
                publicKey.CopyTo(plain, 0);
                var vouchNonce = plain.AsSpan(32, 16);
                Crypto.Random(vouchNonce);
                CurveNonce.Long(nonce, "VOUCH---"u8, vouchNonce);
                var vouchPlain = new byte[64];
                cnPublic.CopyTo(vouchPlain, 0);
                serverKey.CopyTo(vouchPlain, 32);
                Crypto.Box(plain.AsSpan(48, 80), vouchPlain, nonce, serverTransient, secretKey);
                metadata.CopyTo(plain, 128);

                var initiate = new byte[96 + 8 + Crypto.MacSize + plain.Length];
                cookie.CopyTo(initiate);
                BinaryPrimitives.WriteUInt64BigEndian(initiate.AsSpan(96), sendNonce);
                CurveNonce.Short(nonce, "CurveZMQINITIATE"u8, sendNonce++);
                Crypto.BoxAfterNm(initiate.AsSpan(104), plain, nonce, shared);
                ch.SendCommand("INITIATE"u8, initiate);
            }

            // READY: short nonce, box[metadata] S'->C'.
            yield return HandshakeWait.Command;
            {
                if (ch.CommandName.SequenceEqual(Zmtp.Error)) throw PeerError(ch.CommandData);
                if (!ch.CommandName.SequenceEqual(Zmtp.Ready)) throw Unexpected(ch.CommandName, "READY");
                var data = ch.CommandData;
                if (data.Length < 8 + Crypto.MacSize) throw Violation("malformed CURVE READY", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandReady);
                ulong peerNonce = BinaryPrimitives.ReadUInt64BigEndian(data);
                CurveNonce.Short(nonce, "CurveZMQREADY---"u8, peerNonce);
                var ready = new byte[data.Length - 8 - Crypto.MacSize];
                if (!Crypto.BoxOpenAfterNm(ready, data.Slice(8), nonce, shared))
                    throw Violation("CURVE READY box failed to open", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpCryptographic);
                AcceptPeerMetadata(ch, ready, ZmqProtocolError.ZmtpMalformedCommandReady);
                _codec = new CurveCodec(shared, asServer: false, sendNonce, peerNonce);
            }
        }
        finally
        {
            Crypto.Wipe(cnSecret);
        }
    }
}

/// <summary>The 24-byte nonces of CurveZMQ: a 16-byte prefix and an 8-byte counter, or an 8-byte prefix and 16 random bytes.</summary>
internal static class CurveNonce
{
    public static void Short(Span<byte> nonce, ReadOnlySpan<byte> prefix16, ulong counter)
    {
        prefix16.CopyTo(nonce);
        BinaryPrimitives.WriteUInt64BigEndian(nonce.Slice(16), counter);
    }

    public static void Long(Span<byte> nonce, ReadOnlySpan<byte> prefix8, ReadOnlySpan<byte> random16)
    {
        prefix8.CopyTo(nonce);
        random16.CopyTo(nonce.Slice(8));
    }
}
