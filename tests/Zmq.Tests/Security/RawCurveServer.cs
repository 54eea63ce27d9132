using System.Buffers.Binary;
using System.Text;
using Zmq.Security;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Security;

/// <summary>
/// The server half of a hand-driven CURVE handshake (PROTOCOL-NOTES §2.7) on a <see cref="RawPeer"/>
/// accepted from a <see cref="RawListener"/>, to test how our CURVE client treats a bad server:
/// reads HELLO, answers a WELCOME (optionally corrupted), reads INITIATE and answers READY
/// (optionally corrupted). Independent of src/Zmq/Security/CurveServer.cs; only the libsodium
/// primitives come from <see cref="Crypto"/>.
/// </summary>
internal sealed class RawCurveServer(RawPeer peer, CurveKeyPair keys)
{
    private readonly byte[] _transientPublic = new byte[32];
    private readonly byte[] _transientSecret = new byte[32];
    private byte[]? _shared;

    public RawPeer Peer { get; } = peer;

    /// <summary>C' from the client's HELLO.</summary>
    public byte[]? ClientTransient { get; private set; }

    /// <summary>C from the client's INITIATE.</summary>
    public byte[]? ClientKey { get; private set; }

    /// <summary>Sends a CURVE server greeting and reads the client's.</summary>
    public byte[] Greet()
    {
        Peer.Send(RawPeer.Greeting(mechanism: "CURVE", asServer: true));
        var theirs = Peer.ReadExactly(64);
        Assert.Equal("CURVE", RawCurveClient.MechanismOf(theirs));
        Assert.Equal(0, theirs[32]);
        return theirs;
    }

    /// <summary>Reads HELLO, checks its layout and opens its box with s (so our client did its part right).</summary>
    public void ReadHello()
    {
        var (flags, body) = Peer.ReadFrame();
        Assert.True((flags & 4) != 0, "HELLO must be a command frame");
        Assert.Equal("HELLO", Encoding.ASCII.GetString(body, 1, body[0]));
        var data = body.AsSpan(1 + body[0]);
        Assert.Equal(RawCurveClient.HelloSize, data.Length);
        Assert.Equal(1, data[0]);
        Assert.Equal(0, data[1]);
        Assert.True(data.Slice(2, 72).IndexOfAnyExcept((byte)0) < 0, "72 zero bytes");
        ClientTransient = data.Slice(74, 32).ToArray();
        ulong n = BinaryPrimitives.ReadUInt64BigEndian(data.Slice(106));
        var zeros = new byte[64];
        Assert.True(Crypto.BoxOpen(zeros, data.Slice(114, 80), RawCurveClient.ShortNonce("CurveZMQHELLO---", n), ClientTransient, keys.SecretKey),
            "our client's HELLO box does not open with the server's secret key");
    }

    /// <summary>
    /// Sends WELCOME: box[S' + cookie] from <paramref name="signer"/> (default s) to C'. <paramref name="flipBit"/>
    /// flips a bit of the command data; <paramref name="truncateTo"/> cuts it; <paramref name="announcedTransient"/>
    /// replaces the S' put in the box (then no later step can be taken).
    /// </summary>
    public void SendWelcome(byte[]? signer = null, int flipBit = -1, int truncateTo = -1, byte[]? announcedTransient = null)
    {
        Crypto.BoxKeypair(_transientPublic, _transientSecret);
        var plain = new byte[128];
        (announcedTransient ?? _transientPublic).CopyTo(plain, 0);
        Crypto.Random(plain.AsSpan(32, 96)); // the cookie is opaque to the client
        var data = new byte[RawCurveClient.WelcomeSize];
        Crypto.Random(data.AsSpan(0, 16));
        Crypto.Box(data.AsSpan(16), plain, RawCurveClient.LongNonce("WELCOME-", data.AsSpan(0, 16)), ClientTransient!, signer ?? keys.SecretKey);
        if (flipBit >= 0) data[flipBit / 8] ^= (byte)(1 << (flipBit % 8));
        Peer.Send(RawPeer.Command("WELCOME", truncateTo >= 0 ? data.AsSpan(0, truncateTo) : data));
        if (announcedTransient is not null) return; // e.g. a low-order point: no shared key to compute
        _shared = new byte[32];
        Assert.True(Crypto.TryBoxBeforeNm(_shared, ClientTransient!, _transientSecret), "weak client transient key");
    }

    /// <summary>Reads INITIATE and opens its box (C, vouch, metadata) with the transient keys; returns the client's metadata.</summary>
    public Dictionary<string, byte[]> ReadInitiate()
    {
        var (flags, body) = Peer.ReadFrame();
        Assert.True((flags & 4) != 0, "INITIATE must be a command frame");
        Assert.Equal("INITIATE", Encoding.ASCII.GetString(body, 1, body[0]));
        var data = body.AsSpan(1 + body[0]);
        ulong n = BinaryPrimitives.ReadUInt64BigEndian(data.Slice(96));
        var plain = new byte[data.Length - 96 - 8 - 16];
        Assert.True(Crypto.BoxOpenAfterNm(plain, data.Slice(104), RawCurveClient.ShortNonce("CurveZMQINITIATE", n), _shared!), "INITIATE box");
        ClientKey = plain[..32];
        return RawPeer.ParseProperties(plain.AsSpan(128));
    }

    /// <summary>Sends READY (Socket-Type <paramref name="socketType"/>) with short nonce 1; <paramref name="flipBit"/> flips a bit of its data.</summary>
    public void SendReady(string socketType, int flipBit = -1)
    {
        var meta = RawPeer.Properties(("Socket-Type", Encoding.ASCII.GetBytes(socketType)));
        var data = new byte[8 + 16 + meta.Length];
        BinaryPrimitives.WriteUInt64BigEndian(data, 1);
        Crypto.BoxAfterNm(data.AsSpan(8), meta, RawCurveClient.ShortNonce("CurveZMQREADY---", 1), _shared!);
        if (flipBit >= 0) data[flipBit / 8] ^= (byte)(1 << (flipBit % 8));
        Peer.Send(RawPeer.Command("READY", data));
    }

    /// <summary>The short nonce of the server's next MESSAGE (READY used 1).</summary>
    public ulong NextNonce { get; set; } = 2;

    /// <summary>
    /// A MESSAGE to the client in a data frame: <paramref name="nonce"/> replaces the next short nonce,
    /// <paramref name="prefix"/> the nonce prefix (the client's "CurveZMQMESSAGEC" fakes a reflected message),
    /// <paramref name="flipBit"/> flips a bit of the body (counted from <c>07 MESSAGE</c>).
    /// </summary>
    public byte[] MessageFrame(ReadOnlySpan<byte> payload, bool more = false, ulong? nonce = null, string prefix = "CurveZMQMESSAGES", int flipBit = -1)
    {
        ulong n = nonce ?? NextNonce;
        NextNonce = n + 1;
        var plain = new byte[1 + payload.Length];
        plain[0] = (byte)(more ? 1 : 0);
        payload.CopyTo(plain.AsSpan(1));
        var body = new byte[32 + plain.Length];
        "\x07MESSAGE"u8.CopyTo(body);
        BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(8), n);
        Crypto.BoxAfterNm(body.AsSpan(16), plain, RawCurveClient.ShortNonce(prefix, n), _shared!);
        if (flipBit >= 0) body[flipBit / 8] ^= (byte)(1 << (flipBit % 8));
        return RawPeer.Frame(body);
    }

    /// <summary>Reads one MESSAGE from the client (a data frame) and opens it: (MORE, payload).</summary>
    public (bool More, byte[] Payload) ReadMessage()
    {
        var (flags, body) = Peer.ReadFrame();
        Assert.Equal(0, flags & 4);
        Assert.True(body.Length >= 33 && body.AsSpan(0, 8).SequenceEqual("\x07MESSAGE"u8), $"not a MESSAGE: {Convert.ToHexString(body)}");
        ulong n = BinaryPrimitives.ReadUInt64BigEndian(body.AsSpan(8));
        var plain = new byte[body.Length - 32];
        Assert.True(Crypto.BoxOpenAfterNm(plain, body.AsSpan(16), RawCurveClient.ShortNonce("CurveZMQMESSAGEC", n), _shared!), "the client's MESSAGE box");
        return ((plain[0] & 1) != 0, plain[1..]);
    }
}
