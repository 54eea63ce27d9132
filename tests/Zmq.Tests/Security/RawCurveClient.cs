using System.Buffers.Binary;
using System.Text;
using Zmq.Security;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Security;

/// <summary>
/// A hand-driven CURVE client (ZMTP-CURVE, RFC 25/26, with libzmq's layouts from PROTOCOL-NOTES §2.7),
/// written from the notes and independent of src/Zmq/Security/CurveClient.cs. Only the primitives
/// come from the library's libsodium facade (<see cref="Crypto"/>). Each step is a separate call
/// with knobs to corrupt it, and the exact bytes of HELLO and INITIATE are kept so that they can be
/// replayed on another connection.
/// </summary>
/// <remarks>
/// Layouts (after the command name):
/// HELLO = version 01 00, 72 zeros, C'(32), short nonce(8), box[64 zeros] C'→S ("CurveZMQHELLO---").
/// WELCOME = long nonce(16), box[S'(32) + cookie(96)] S→C' ("WELCOME-").
/// INITIATE = cookie(96), short nonce(8), box[C(32) + vouch(96) + metadata] C'→S' ("CurveZMQINITIATE"),
/// vouch = long nonce(16) + box[C'(32) + S(32)] C→S' ("VOUCH---").
/// READY = short nonce(8), box[metadata] S'→C' ("CurveZMQREADY---").
/// MESSAGE (a data frame) = 07 MESSAGE, short nonce(8), box[flags + payload] C'→S' ("CurveZMQMESSAGEC";
/// from the server "CurveZMQMESSAGES").
/// </remarks>
internal sealed class RawCurveClient : IDisposable
{
    public const int HelloSize = 2 + 72 + 32 + 8 + 80;
    public const int WelcomeSize = 16 + 144;
    public const int CookieSize = 96;

    private readonly byte[] _secretKey;                 // c
    private readonly byte[] _transientSecret = new byte[32]; // c'
    private byte[]? _shared;                            // crypto_box_beforenm(S', c')

    public RawCurveClient(RawPeer peer, byte[] serverKey, CurveKeyPair? keys = null)
    {
        Peer = peer;
        ServerKey = serverKey;
        var pair = keys ?? CurveKeyPair.Generate();
        PublicKey = pair.PublicKey;
        _secretKey = pair.SecretKey;
        Crypto.BoxKeypair(TransientPublic, _transientSecret);
    }

    /// <summary>Connects a raw socket to one of our tcp endpoints.</summary>
    public static RawCurveClient Connect(string endpoint, byte[] serverKey, CurveKeyPair? keys = null) =>
        new(RawPeer.Connect(endpoint), serverKey, keys);

    public RawPeer Peer { get; }

    /// <summary>S: the server's long-term public key as this client believes it.</summary>
    public byte[] ServerKey { get; }

    /// <summary>C: this client's long-term public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>C': this connection's transient public key.</summary>
    public byte[] TransientPublic { get; } = new byte[32];

    /// <summary>S' from WELCOME.</summary>
    public byte[]? ServerTransient { get; private set; }

    /// <summary>The cookie from WELCOME (96 bytes).</summary>
    public byte[]? Cookie { get; private set; }

    /// <summary>The short nonce the next HELLO, INITIATE or MESSAGE uses unless given one (starts at 1, as libzmq).</summary>
    public ulong NextNonce { get; set; } = 1;

    /// <summary>The last short nonce received from the server (READY, MESSAGE).</summary>
    public ulong LastServerNonce { get; private set; }

    /// <summary>The exact bytes (ZMTP frame included) of the last HELLO and INITIATE sent.</summary>
    public byte[]? SentHello { get; private set; }

    public byte[]? SentInitiate { get; private set; }

    /// <summary>The server's READY metadata.</summary>
    public Dictionary<string, byte[]>? ServerProperties { get; private set; }

    // ---------------------------------------------------------------- greeting

    /// <summary>Sends our greeting (mechanism <paramref name="mechanism"/>, as-client) and reads the server's.</summary>
    public byte[] Greet(string mechanism = "CURVE")
    {
        Peer.Send(RawPeer.Greeting(mechanism: mechanism));
        var theirs = Peer.ReadExactly(64);
        Assert.Equal(0xFF, theirs[0]);
        Assert.Equal(0x7F, theirs[9]);
        return theirs;
    }

    /// <summary>The mechanism named in a greeting.</summary>
    public static string MechanismOf(byte[] greeting) => Encoding.ASCII.GetString(greeting, 12, 20).TrimEnd('\0');

    // ---------------------------------------------------------------- HELLO

    /// <summary>
    /// A HELLO frame. <paramref name="boxFor"/>: the key the box is made for (default <see cref="ServerKey"/>);
    /// <paramref name="nonce"/>: the short nonce (default <see cref="NextNonce"/>); <paramref name="zeros"/>:
    /// the zero padding (72; the RFC prose says 70); <paramref name="truncateTo"/>: cut the command data to
    /// this many bytes.
    /// </summary>
    public byte[] HelloFrame(byte[]? boxFor = null, ulong? nonce = null, int zeros = 72, byte major = 1, byte minor = 0, int truncateTo = -1)
    {
        ulong n = TakeNonce(nonce);
        var data = new byte[2 + zeros + 32 + 8 + 80];
        data[0] = major;
        data[1] = minor;
        int p = 2 + zeros;
        TransientPublic.CopyTo(data, p);
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(p + 32), n);
        Crypto.Box(data.AsSpan(p + 40, 80), new byte[64], ShortNonce("CurveZMQHELLO---", n), boxFor ?? ServerKey, _transientSecret);
        return RawPeer.Command("HELLO", truncateTo >= 0 ? data.AsSpan(0, truncateTo) : data);
    }

    /// <summary>Sends <paramref name="frame"/> (default: a correct HELLO) and keeps it as <see cref="SentHello"/>.</summary>
    public void SendHello(byte[]? frame = null)
    {
        SentHello = frame ?? HelloFrame();
        Peer.Send(SentHello);
    }

    // ---------------------------------------------------------------- WELCOME

    /// <summary>Reads WELCOME and opens it with S and c': keeps S' and the cookie.</summary>
    public void ReadWelcome()
    {
        var (name, data) = ReadCommand();
        Assert.True(name == "WELCOME", $"expected WELCOME, got {name} ({Convert.ToHexString(data)})");
        Assert.Equal(WelcomeSize, data.Length);
        var plain = new byte[128];
        Assert.True(Crypto.BoxOpen(plain, data.AsSpan(16), LongNonce("WELCOME-", data.AsSpan(0, 16)), ServerKey, _transientSecret),
            "the WELCOME box does not open with S and c'");
        ServerTransient = plain[..32];
        Cookie = plain[32..128];
        _shared = new byte[32];
        Assert.True(Crypto.TryBoxBeforeNm(_shared, ServerTransient, _transientSecret), "weak server transient key");
    }

    /// <summary>Reads a WELCOME without being able to open it (e.g. after replaying someone else's HELLO); returns its data.</summary>
    public byte[] ReadOpaqueWelcome()
    {
        var (name, data) = ReadCommand();
        Assert.True(name == "WELCOME", $"expected WELCOME, got {name}");
        Assert.Equal(WelcomeSize, data.Length);
        return data;
    }

    /// <summary>True when a WELCOME's box opens with S and our c' (it must not, for a WELCOME made for another C').</summary>
    public bool CanOpenWelcome(byte[] welcomeData)
    {
        var plain = new byte[128];
        return Crypto.BoxOpen(plain, welcomeData.AsSpan(16), LongNonce("WELCOME-", welcomeData.AsSpan(0, 16)), ServerKey, _transientSecret);
    }

    // ---------------------------------------------------------------- INITIATE

    /// <summary>
    /// An INITIATE frame, correct unless corrupted: <paramref name="cookie"/> replaces the cookie;
    /// <paramref name="nonce"/> the short nonce; <paramref name="claimedKey"/> the C put in the box (default
    /// ours); <paramref name="vouchSigner"/> the secret key the vouch is made with (default c);
    /// <paramref name="vouchBoxTo"/> the key the vouch is boxed to (default S');
    /// <paramref name="vouchTransient"/> and <paramref name="vouchServerKey"/> what the vouch names
    /// (default C' and S); <paramref name="metadata"/> replaces Socket-Type metadata;
    /// <paramref name="truncateTo"/> cuts the command data; <paramref name="flipBit"/> flips one bit of the
    /// command data (a bit index).
    /// </summary>
    public byte[] InitiateFrame(
        byte[]? cookie = null,
        ulong? nonce = null,
        byte[]? claimedKey = null,
        byte[]? vouchSigner = null,
        byte[]? vouchBoxTo = null,
        byte[]? vouchTransient = null,
        byte[]? vouchServerKey = null,
        string socketType = "PUSH",
        byte[]? metadata = null,
        int truncateTo = -1,
        int flipBit = -1)
    {
        RequireWelcome();
        ulong n = TakeNonce(nonce);
        metadata ??= RawPeer.Properties(("Socket-Type", Encoding.ASCII.GetBytes(socketType)));

        var vouchPlain = new byte[64];
        (vouchTransient ?? TransientPublic).CopyTo(vouchPlain, 0);
        (vouchServerKey ?? ServerKey).CopyTo(vouchPlain, 32);
        var plain = new byte[32 + 16 + 80 + metadata.Length];
        (claimedKey ?? PublicKey).CopyTo(plain, 0);
        Crypto.Random(plain.AsSpan(32, 16));
        Crypto.Box(plain.AsSpan(48, 80), vouchPlain, LongNonce("VOUCH---", plain.AsSpan(32, 16)), vouchBoxTo ?? ServerTransient!, vouchSigner ?? _secretKey);
        metadata.CopyTo(plain, 128);

        var data = new byte[CookieSize + 8 + 16 + plain.Length];
        (cookie ?? Cookie!).CopyTo(data, 0);
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(CookieSize), n);
        Crypto.BoxAfterNm(data.AsSpan(CookieSize + 8), plain, ShortNonce("CurveZMQINITIATE", n), _shared!);
        if (flipBit >= 0) data[flipBit / 8] ^= (byte)(1 << (flipBit % 8));
        return RawPeer.Command("INITIATE", truncateTo >= 0 ? data.AsSpan(0, truncateTo) : data);
    }

    /// <summary>Sends <paramref name="frame"/> (default: a correct INITIATE) and keeps it as <see cref="SentInitiate"/>.</summary>
    public void SendInitiate(byte[]? frame = null)
    {
        SentInitiate = frame ?? InitiateFrame();
        Peer.Send(SentInitiate);
    }

    // ---------------------------------------------------------------- READY / ERROR

    /// <summary>Reads READY, opens it with the transient keys, checks its nonce and keeps the server's metadata.</summary>
    public Dictionary<string, byte[]> ReadReady()
    {
        var (name, data) = ReadCommand();
        Assert.True(name == "READY", $"expected READY, got {name} ({Encoding.ASCII.GetString(data)})");
        Assert.True(data.Length >= 8 + 16, $"READY of {data.Length} bytes");
        ulong n = BinaryPrimitives.ReadUInt64BigEndian(data);
        var plain = new byte[data.Length - 8 - 16];
        Assert.True(Crypto.BoxOpenAfterNm(plain, data.AsSpan(8), ShortNonce("CurveZMQREADY---", n), _shared!), "the READY box does not open");
        LastServerNonce = n;
        ServerProperties = RawPeer.ParseProperties(plain);
        return ServerProperties;
    }

    /// <summary>Reads an ERROR command and returns its reason.</summary>
    public string ReadError()
    {
        var (name, data) = ReadCommand();
        Assert.True(name == "ERROR", $"expected ERROR, got {name}");
        Assert.True(data.Length >= 1 && data[0] == data.Length - 1, $"malformed ERROR {Convert.ToHexString(data)}");
        return Encoding.ASCII.GetString(data, 1, data[0]);
    }

    /// <summary>Greeting, HELLO, WELCOME, INITIATE (as <paramref name="socketType"/>), READY: a good client.</summary>
    public Dictionary<string, byte[]> Handshake(string socketType = "PUSH")
    {
        UpToWelcome();
        SendInitiate(InitiateFrame(socketType: socketType));
        return ReadReady();
    }

    /// <summary>The first half of a correct handshake: greetings, HELLO, WELCOME opened (S' and the cookie kept).</summary>
    public void UpToWelcome()
    {
        var g = Greet();
        Assert.Equal("CURVE", MechanismOf(g));
        Assert.Equal(1, g[32]); // the server says it is the CURVE server
        SendHello();
        ReadWelcome();
    }

    // ---------------------------------------------------------------- MESSAGE

    /// <summary>
    /// A MESSAGE in a data frame: <paramref name="nonce"/> replaces the next short nonce;
    /// <paramref name="prefix"/> the nonce prefix (e.g. the server's "CurveZMQMESSAGES", to fake a
    /// reflected message); <paramref name="flipBit"/> flips one bit of the body (a bit index counted
    /// from the start of <c>07 MESSAGE</c>); <paramref name="truncateTo"/> cuts the body.
    /// </summary>
    public byte[] MessageFrame(ReadOnlySpan<byte> payload, bool more = false, bool command = false, ulong? nonce = null,
        string prefix = "CurveZMQMESSAGEC", int flipBit = -1, int truncateTo = -1)
    {
        RequireWelcome();
        ulong n = TakeNonce(nonce);
        var plain = new byte[1 + payload.Length];
        plain[0] = (byte)((more ? 1 : 0) | (command ? 2 : 0));
        payload.CopyTo(plain.AsSpan(1));
        var body = new byte[8 + 8 + 16 + plain.Length];
        "\x07MESSAGE"u8.CopyTo(body);
        BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(8), n);
        Crypto.BoxAfterNm(body.AsSpan(16), plain, ShortNonce(prefix, n), _shared!);
        if (flipBit >= 0) body[flipBit / 8] ^= (byte)(1 << (flipBit % 8));
        return RawPeer.Frame(truncateTo >= 0 ? body.AsSpan(0, truncateTo) : body);
    }

    public void SendMessage(string payload, bool more = false, ulong? nonce = null) =>
        Peer.Send(MessageFrame(Encoding.UTF8.GetBytes(payload), more, nonce: nonce));

    /// <summary>Reads one MESSAGE from the server, checks that its nonce increases and opens it: (MORE, COMMAND, payload).</summary>
    public (bool More, bool Command, byte[] Payload) ReadMessage(TimeSpan? timeout = null)
    {
        RequireWelcome();
        var (flags, body) = Peer.ReadFrame(timeout);
        Assert.Equal(0, flags & 4); // a data frame, not a command frame
        Assert.True(body.Length >= 33 && body.AsSpan(0, 8).SequenceEqual("\x07MESSAGE"u8), $"not a MESSAGE: {Convert.ToHexString(body)}");
        ulong n = BinaryPrimitives.ReadUInt64BigEndian(body.AsSpan(8));
        Assert.True(n > LastServerNonce, $"server MESSAGE nonce {n} does not increase (last {LastServerNonce})");
        var plain = new byte[body.Length - 32];
        Assert.True(Crypto.BoxOpenAfterNm(plain, body.AsSpan(16), ShortNonce("CurveZMQMESSAGES", n), _shared!), "the server's MESSAGE box does not open");
        LastServerNonce = n;
        return ((plain[0] & 1) != 0, (plain[0] & 2) != 0, plain[1..]);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Reads one command frame: (name, data).</summary>
    public (string Name, byte[] Data) ReadCommand(TimeSpan? timeout = null)
    {
        var (flags, body) = Peer.ReadFrame(timeout);
        Assert.True((flags & 4) != 0, $"expected a command frame, got flags {flags:X2}");
        int len = body[0];
        return (Encoding.ASCII.GetString(body, 1, len), body[(1 + len)..]);
    }

    public static byte[] ShortNonce(string prefix16, ulong n)
    {
        var nonce = new byte[24];
        Encoding.ASCII.GetBytes(prefix16, nonce.AsSpan(0, 16));
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(16), n);
        return nonce;
    }

    public static byte[] LongNonce(string prefix8, ReadOnlySpan<byte> random16)
    {
        var nonce = new byte[24];
        Encoding.ASCII.GetBytes(prefix8, nonce.AsSpan(0, 8));
        random16.CopyTo(nonce.AsSpan(8));
        return nonce;
    }

    private ulong TakeNonce(ulong? nonce)
    {
        ulong n = nonce ?? NextNonce;
        NextNonce = n + 1;
        return n;
    }

    private void RequireWelcome()
    {
        if (_shared is null) throw new InvalidOperationException("read WELCOME first");
    }

    public void Dispose()
    {
        Crypto.Wipe(_transientSecret);
        Peer.Dispose();
    }
}
