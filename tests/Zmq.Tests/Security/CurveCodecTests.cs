using System.Buffers.Binary;
using Zmq.Security;

namespace Zmq.Tests.Security;

/// <summary>
/// Known answers for CURVE's MESSAGE framing: what the codec seals opens with libsodium's plain
/// crypto_box_open_easy (the long-term-key form, not the precomputed one), with libzmq's layout and
/// nonce prefixes; and the receiving codec enforces the nonce order.
/// </summary>
public sealed class CurveCodecTests
{
    private static (CurveCodec Client, CurveCodec Server, CurveKeyPair C, CurveKeyPair S) Pair()
    {
        var c = CurveKeyPair.Generate();
        var s = CurveKeyPair.Generate();
        var k1 = new byte[32];
        var k2 = new byte[32];
        Assert.True(Crypto.TryBoxBeforeNm(k1, s.PublicKey, c.SecretKey));
        Assert.True(Crypto.TryBoxBeforeNm(k2, c.PublicKey, s.SecretKey));
        Assert.Equal(k1, k2);
        return (new CurveCodec(k1, asServer: false, nextSendNonce: 3, lastPeerNonce: 1),
                new CurveCodec(k2, asServer: true, nextSendNonce: 2, lastPeerNonce: 2), c, s);
    }

    [Fact]
    public void Sealed_message_has_libzmqs_layout_and_opens_with_crypto_box_open_easy()
    {
        var (client, _, c, s) = Pair();
        var frame = new byte[CurveCodec.BoxedSize(1 + 5)];
        int n = client.Write(frame, CurveCodec.FlagMore, "hello"u8);
        Assert.Equal(frame.Length, n);
        Assert.Equal(0x00, frame[0]);                       // a data frame, never a command frame
        Assert.Equal(n - 2, frame[1]);
        Assert.Equal("\x07MESSAGE"u8.ToArray(), frame[2..10]);
        Assert.Equal(3UL, BinaryPrimitives.ReadUInt64BigEndian(frame.AsSpan(10)));

        var nonce = new byte[24];
        "CurveZMQMESSAGEC"u8.CopyTo(nonce);
        frame.AsSpan(10, 8).CopyTo(nonce.AsSpan(16));
        var plain = new byte[n - 18 - 16];
        Assert.True(Crypto.BoxOpen(plain, frame.AsSpan(18), nonce, c.PublicKey, s.SecretKey));
        Assert.Equal(new byte[] { 1, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, plain);
    }

    [Fact]
    public void Server_opens_what_the_client_sealed_and_refuses_replays_and_tampering()
    {
        var (client, server, _, _) = Pair();
        var f1 = new byte[CurveCodec.BoxedSize(4)];
        client.Write(f1, 0, "abc"u8);
        var copy = f1.ToArray();
        Assert.Null(server.Open(f1.AsSpan(2), out int start, out int len, out _));
        Assert.Equal("\0abc"u8.ToArray(), f1.AsSpan(2 + start, len).ToArray());

        Assert.NotNull(server.Open(copy.AsSpan(2), out _, out _, out var replay));
        Assert.Equal(ZmqProtocolError.ZmtpInvalidSequence, replay);

        var f2 = new byte[CurveCodec.BoxedSize(4)];
        client.Write(f2, 0, "def"u8);
        f2[^1] ^= 1;
        Assert.NotNull(server.Open(f2.AsSpan(2), out _, out _, out var tampered));
        Assert.Equal(ZmqProtocolError.ZmtpCryptographic, tampered);
    }

    [Fact]
    public void Commands_travel_with_the_command_flag_and_large_frames_use_a_long_header()
    {
        var (client, server, _, _) = Pair();
        var ping = new byte[64];
        int n = client.WriteCommand(ping, "PING"u8, [0, 10]);
        Assert.Null(server.Open(ping.AsSpan(2, n - 2), out int start, out int len, out _));
        Assert.Equal(new byte[] { CurveCodec.FlagCommand, 4, (byte)'P', (byte)'I', (byte)'N', (byte)'G', 0, 10 }, ping.AsSpan(2 + start, len).ToArray());

        var payload = new byte[1000];
        var big = new byte[CurveCodec.BoxedSize(1 + payload.Length)];
        client.Write(big, 0, payload);
        Assert.Equal(0x02, big[0]); // long data frame
        Assert.Null(server.Open(big.AsSpan(9), out _, out len, out _));
        Assert.Equal(1 + payload.Length, len);
    }
}
