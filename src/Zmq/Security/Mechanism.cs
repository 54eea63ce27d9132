using System.Text;
using Zmq.Routing;
using Zmq.Wire;

namespace Zmq.Security;

/// <summary>What a mechanism's handshake waits for when it yields.</summary>
internal enum HandshakeWait
{
    /// <summary>The peer's next command (then in <see cref="IHandshakeChannel.CommandName"/>/<see cref="IHandshakeChannel.CommandData"/>).</summary>
    Command,
    /// <summary>The ZAP handler's reply to the request started with <see cref="IHandshakeChannel.StartZap"/>.</summary>
    ZapReply,
}

/// <summary>What a mechanism needs from the connection during the handshake (implemented by the engine).</summary>
internal interface IHandshakeChannel
{
    SecuritySettings Settings { get; }

    /// <summary>The peer's address as ZAP's address frame carries it (IP over tcp, localhost:UID:GID:PID over ipc).</summary>
    string PeerAddress { get; }

    /// <summary>Queues one command frame; it goes out before the mechanism waits again.</summary>
    void SendCommand(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data);

    /// <summary>The command received last (after a <see cref="HandshakeWait.Command"/>), valid until the next wait.</summary>
    ReadOnlySpan<byte> CommandName { get; }

    /// <inheritdoc cref="CommandName"/>
    ReadOnlySpan<byte> CommandData { get; }

    /// <summary>Sends a ZAP request (its frames after the delimiter); false when no handler is bound. Then wait for <see cref="HandshakeWait.ZapReply"/>.</summary>
    bool StartZap(byte[][] request);

    /// <summary>The ZAP reply's frames (the delimiter included), after a <see cref="HandshakeWait.ZapReply"/>.</summary>
    byte[][] ZapReply { get; }
}

/// <summary>
/// A ZMTP security mechanism's handshake (RFC 37 §3.7 onwards): NULL, PLAIN or CURVE, client or
/// server. One instance per connection, driven by the connection's I/O thread after the
/// greetings: <see cref="Run"/> is an iterator that yields whenever it waits for the peer or for
/// ZAP, so a handshake never blocks a thread. A refusal is a <see cref="ZmtpException"/> thrown
/// out of it. Afterwards it provides the peer's properties and, for CURVE, the frame codec.
/// </summary>
internal abstract class Mechanism
{
    /// <summary>The mechanism name in the greeting.</summary>
    public abstract string Name { get; }

    /// <summary>The as-server bit of our greeting.</summary>
    public abstract bool AsServer { get; }

    /// <summary>CURVE's MESSAGE codec once the handshake is done; null for NULL and PLAIN.</summary>
    public virtual IFrameCodec? Codec => null;

    /// <summary>True when a step does costly cryptography (CURVE): the I/O thread budgets it.</summary>
    public virtual bool IsExpensive => false;

    /// <summary>The peer's properties: its READY/INITIATE metadata, then ZAP's User-Id and metadata.</summary>
    public Dictionary<string, byte[]> PeerProperties { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The handshake: yields at every wait, ends when the peer is accepted, throws <see cref="ZmtpException"/> when refused.</summary>
    public abstract IEnumerator<HandshakeWait> Run(IHandshakeChannel channel);

    /// <summary>The mechanism the socket's options select.</summary>
    public static Mechanism Create(SecuritySettings s) => s.Mechanism switch
    {
        SecurityMechanism.Plain when s.AsServer => new PlainServer(),
        SecurityMechanism.Plain => new PlainClient(s.PlainUsername, s.PlainPassword),
        SecurityMechanism.Curve when s.AsServer => new CurveServer(
            s.CurveSecretKey ?? throw new ZmtpException("CURVE server without CURVE_SECRETKEY", CloseKind.Internal),
            s.CurvePublicKey ?? CurveKeyPair.DerivePublicKey(s.CurveSecretKey)),
        SecurityMechanism.Curve => new CurveClient(
            s.CurveServerKey ?? throw new ZmtpException("CURVE client without CURVE_SERVERKEY", CloseKind.Internal),
            s.CurvePublicKey ?? throw new ZmtpException("CURVE client without CURVE_PUBLICKEY", CloseKind.Internal),
            s.CurveSecretKey ?? throw new ZmtpException("CURVE client without CURVE_SECRETKEY", CloseKind.Internal)),
        _ => new NullMechanism(),
    };

    // ---- shared steps ----

    /// <summary>
    /// Takes the peer's metadata: refuses a malformed list, an unknown or incompatible socket type
    /// (sending ERROR first), and keeps the properties for received messages.
    /// </summary>
    protected void AcceptPeerMetadata(IHandshakeChannel ch, ReadOnlySpan<byte> data, ZmqProtocolError malformedCode)
    {
        var props = Metadata.Parse(data)
            ?? throw Violation("malformed metadata in the peer's handshake", malformedCode == ZmqProtocolError.ZmtpInvalidMetadata ? CloseKind.InvalidMetadata : CloseKind.ProtocolCode, malformedCode);
        var own = ch.Settings.SocketType;
        if (props.TryGetValue("Socket-Type", out var typeBytes))
        {
            if (!SocketTypeInfo.TryParseWireName(typeBytes, out var peerType))
                throw RefuseSocketType(ch, $"peer announced unknown socket type {Zmtp.Printable(typeBytes)}");
            if (!SocketTypeInfo.IsCompatible(own, peerType))
                throw RefuseSocketType(ch, $"incompatible peer socket type {SocketTypeInfo.WireName(peerType)} for {SocketTypeInfo.WireName(own)}");
        }
        foreach (var (k, v) in props) PeerProperties[k] = v;
    }

    private static ZmtpException RefuseSocketType(IHandshakeChannel ch, string reason)
    {
        SendError(ch, "Invalid socket type");
        return new ZmtpException(reason, CloseKind.IncompatibleSocketType);
    }

    /// <summary>Queues ERROR with a reason (at most 255 bytes).</summary>
    protected static void SendError(IHandshakeChannel ch, string reason)
    {
        var data = new byte[1 + Encoding.ASCII.GetByteCount(reason)];
        data[0] = (byte)(data.Length - 1);
        Encoding.ASCII.GetBytes(reason, data.AsSpan(1));
        ch.SendCommand(Zmtp.Error, data);
    }

    /// <summary>The peer answered with ERROR: the handshake fails with its reason (a ZAP status code becomes HANDSHAKE_FAILED_AUTH).</summary>
    protected static ZmtpException PeerError(ReadOnlySpan<byte> data)
    {
        if (data.Length < 1 || data[0] > data.Length - 1)
            return Violation("malformed ERROR command", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandError);
        string reason = Zmtp.Printable(data.Slice(1, data[0]));
        return new ZmtpException($"peer sent ERROR during handshake: \"{reason}\"", CloseKind.PeerError);
    }

    /// <summary>The peer sent a command the handshake does not expect at this step.</summary>
    protected static ZmtpException Unexpected(ReadOnlySpan<byte> name, string expected) =>
        new($"expected {expected}, got {Zmtp.Printable(name)}", CloseKind.UnexpectedCommand);

    protected static ZmtpException Violation(string reason, CloseKind kind, ZmqProtocolError code) =>
        new(reason, kind, (long)code);

    /// <summary>Set by <see cref="Authenticate"/>: whether a ZAP handler answered (and accepted).</summary>
    protected bool ZapAnswered { get; private set; }

    /// <summary>
    /// Asks the ZAP handler (server side) and applies its answer: 200 continues with User-Id and
    /// metadata kept as properties; 300 closes without ERROR; 400/500 send ERROR with the code and
    /// fail with HANDSHAKE_FAILED_AUTH. Leaves <see cref="ZapAnswered"/> false when no handler is
    /// bound (the caller decides). Iterate it from the mechanism's own <see cref="Run"/>.
    /// </summary>
    protected IEnumerable<HandshakeWait> Authenticate(IHandshakeChannel ch, string mechanism, params byte[][] credentials)
    {
        ZapAnswered = false;
        var request = new ZapRequest
        {
            Version = Zap.Version,
            RequestId = ZapClient.RequestId,
            Domain = ch.Settings.ZapDomain,
            Address = ch.PeerAddress,
            Identity = ch.Settings.RoutingId,
            Mechanism = mechanism,
            Credentials = credentials,
        };
        if (!ch.StartZap(request.ToFrames())) yield break;
        yield return HandshakeWait.ZapReply;
        var reply = ZapClient.Parse(ch.ZapReply);
        ZapAnswered = true;
        if (reply.StatusCode == Zap.Success)
        {
            if (reply.UserId.Length > 0) PeerProperties["User-Id"] = Encoding.UTF8.GetBytes(reply.UserId);
            foreach (var (k, v) in reply.Metadata) PeerProperties[k] = v;
            yield break;
        }
        string why = $"ZAP handler refused the peer: {reply.StatusCode} {reply.StatusText}".TrimEnd();
        bool sendError = reply.StatusCode != Zap.TemporaryError;
        if (sendError) SendError(ch, reply.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        throw new ZmtpException(why, CloseKind.AuthFailed, reply.StatusCode) { LingerAfterError = sendError };
    }

    /// <summary>libzmq's rule when no ZAP handler is bound: refuse only with ZAP_ENFORCE_DOMAIN and a non-empty ZAP_DOMAIN.</summary>
    protected static void NoHandler(IHandshakeChannel ch, string mechanism)
    {
        var s = ch.Settings;
        if (s.ZapEnforceDomain && s.ZapDomain.Length > 0)
            throw new ZmtpException(
                $"no ZAP handler is bound at {Zap.Endpoint} and ZAP_ENFORCE_DOMAIN is set for domain \"{s.ZapDomain}\" ({mechanism})", CloseKind.NoZapHandler);
    }
}
