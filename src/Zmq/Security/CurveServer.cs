using Zmq.Wire;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Zmq.Diagnostics;

namespace Zmq.Security;

/// <summary>
/// CURVE server (RFC 26 as libzmq 4.3 speaks it; PROTOCOL-NOTES §2.7). The cookie key is random
/// per connection and wiped once INITIATE arrives, so a cookie from another connection, or a
/// replayed INITIATE, never opens. Stricter than libzmq: the vouch must name both the client's
/// transient key C' and our own long-term key S. Then ZAP (mechanism "CURVE", credential C), READY.
/// </summary>
internal sealed class CurveServer(byte[] secretKey, byte[] publicKey) : Mechanism
{
    private CurveCodec? _codec;

    public override string Name => "CURVE";

    public override bool AsServer => true;

    public override IFrameCodec? Codec => _codec;

    public override bool IsExpensive => true;

    public override IEnumerator<HandshakeWait> Run(IHandshakeChannel ch)
    {
        var snPublic = new byte[32];
        var snSecret = new byte[32];
        var cookieKey = new byte[32];
        var shared = new byte[32];
        var nonce = new byte[Crypto.NonceSize];
        byte[] clientTransient, clientKey;
        ulong helloNonce, initiateNonce;
        try
        {
            // HELLO: version, 72 zeros, C', short nonce, box[64 zeros] C'->S.
            yield return HandshakeWait.Command;
            {
                if (!ch.CommandName.SequenceEqual("HELLO"u8)) throw Unexpected(ch.CommandName, "HELLO");
                var data = ch.CommandData;
                if (data.Length != 2 + 72 + 32 + 8 + 80) throw Violation($"malformed CURVE HELLO ({data.Length} bytes)", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandHello);
                if (data[0] != 1 || data[1] != 0) throw Violation($"CURVE HELLO version {data[0]}.{data[1]} is not 1.0", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandHello);
                clientTransient = data.Slice(74, 32).ToArray();
                helloNonce = BinaryPrimitives.ReadUInt64BigEndian(data.Slice(106));
                CurveNonce.Short(nonce, "CurveZMQHELLO---"u8, helloNonce);
                var zeros = new byte[64];
                if (!Crypto.BoxOpen(zeros, data.Slice(114, 80), nonce, clientTransient, secretKey))
                    throw Violation("CURVE HELLO box failed to open: the client uses another server key", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpCryptographic);
            }

            // WELCOME: long nonce, box[S' + cookie] S->C'; cookie = long nonce + secretbox[C' + s'].
            {
                Crypto.BoxKeypair(snPublic, snSecret);
                Crypto.Random(cookieKey);
                var welcomePlain = new byte[128];
                snPublic.CopyTo(welcomePlain, 0);
                var cookie = welcomePlain.AsSpan(32, 96);
                Crypto.Random(cookie.Slice(0, 16));
                var cookiePlain = new byte[64];
                clientTransient.CopyTo(cookiePlain, 0);
                snSecret.CopyTo(cookiePlain, 32);
                CurveNonce.Long(nonce, "COOKIE--"u8, cookie.Slice(0, 16));
                Crypto.SecretBox(cookie.Slice(16), cookiePlain, nonce, cookieKey);
                Crypto.Wipe(cookiePlain);
                var welcome = new byte[16 + 144];
                Crypto.Random(welcome.AsSpan(0, 16));
                CurveNonce.Long(nonce, "WELCOME-"u8, welcome.AsSpan(0, 16));
                Crypto.Box(welcome.AsSpan(16), welcomePlain, nonce, clientTransient, secretKey);
                ch.SendCommand("WELCOME"u8, welcome);
            }

            // INITIATE: cookie, short nonce, box[C + vouch + metadata] C'->S'.
            yield return HandshakeWait.Command;
            {
                if (!ch.CommandName.SequenceEqual("INITIATE"u8)) throw Unexpected(ch.CommandName, "INITIATE");
                var data = ch.CommandData;
                if (data.Length < 96 + 8 + Crypto.MacSize + 128) throw Violation($"malformed CURVE INITIATE ({data.Length} bytes)", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandInitiate);
                CurveNonce.Long(nonce, "COOKIE--"u8, data.Slice(0, 16));
                var opened = new byte[64];
                bool cookieOk = Crypto.SecretBoxOpen(opened, data.Slice(16, 80), nonce, cookieKey);
                Crypto.Wipe(cookieKey); // one INITIATE per cookie
                if (!cookieOk || !CryptographicOperations.FixedTimeEquals(opened.AsSpan(0, 32), clientTransient)
                    || !CryptographicOperations.FixedTimeEquals(opened.AsSpan(32, 32), snSecret))
                    throw Violation("CURVE INITIATE carries a cookie that is not this connection's", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpCryptographic);
                Crypto.Wipe(opened);

                initiateNonce = BinaryPrimitives.ReadUInt64BigEndian(data.Slice(96));
                if (initiateNonce <= helloNonce)
                    throw Violation($"CURVE INITIATE nonce {initiateNonce} does not follow HELLO's {helloNonce}", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpInvalidSequence);
                if (!Crypto.TryBoxBeforeNm(shared, clientTransient, snSecret))
                    throw Violation("CURVE HELLO announces a weak transient client key", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpCryptographic);
                CurveNonce.Short(nonce, "CurveZMQINITIATE"u8, initiateNonce);
                var plain = new byte[data.Length - 104 - Crypto.MacSize];
                if (!Crypto.BoxOpenAfterNm(plain, data.Slice(104), nonce, shared))
                    throw Violation("CURVE INITIATE box failed to open", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpCryptographic);

                clientKey = plain.AsSpan(0, 32).ToArray();
                CurveNonce.Long(nonce, "VOUCH---"u8, plain.AsSpan(32, 16));
                var vouch = new byte[64];
                if (!Crypto.BoxOpen(vouch, plain.AsSpan(48, 80), nonce, clientKey, snSecret))
                    throw Violation("CURVE vouch failed to open: it was not made with the client key it claims", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpCryptographic);
                if (!CryptographicOperations.FixedTimeEquals(vouch.AsSpan(0, 32), clientTransient))
                    throw Violation("CURVE vouch names another transient key than this connection's", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpKeyExchange);
                if (!CryptographicOperations.FixedTimeEquals(vouch.AsSpan(32, 32), publicKey))
                    throw Violation("CURVE vouch was made for another server key (libzmq would accept it; we do not)", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpKeyExchange);

                AcceptPeerMetadata(ch, plain.AsSpan(128), ZmqProtocolError.ZmtpMalformedCommandInitiate);
            }
            foreach (var wait in Authenticate(ch, "CURVE", clientKey)) yield return wait;
            if (!ZapAnswered) NoHandler(ch, "CURVE");

            // READY: short nonce, box[metadata] S'->C'.
            ulong sendNonce = 1;
            var metadata = ch.Settings.OwnMetadata;
            var ready = new byte[8 + Crypto.MacSize + metadata.Length];
            BinaryPrimitives.WriteUInt64BigEndian(ready, sendNonce);
            CurveNonce.Short(nonce, "CurveZMQREADY---"u8, sendNonce++);
            Crypto.BoxAfterNm(ready.AsSpan(8), metadata, nonce, shared);
            ch.SendCommand(Zmtp.Ready, ready);
            _codec = new CurveCodec(shared, asServer: true, sendNonce, initiateNonce);
        }
        finally
        {
            Crypto.Wipe(snSecret);
            Crypto.Wipe(cookieKey);
        }
    }
}
