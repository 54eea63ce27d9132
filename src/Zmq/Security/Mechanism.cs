using System.Text;
using Zmq.Diagnostics;
using Zmq.Engine;
using Zmq.Routing;

namespace Zmq.Security;

/// <summary>What a mechanism needs from the connection during the handshake (implemented by the engine).</summary>
internal interface IHandshakeChannel
{
    /// <summary>The socket this connection belongs to (options, context, logger).</summary>
    Socket Owner { get; }

    /// <summary>The peer's address as ZAP's address frame carries it (IP over tcp, localhost:UID:GID:PID over ipc).</summary>
    string PeerIp { get; }

    /// <summary>When the handshake must be done (HANDSHAKE_IVL), in Environment.TickCount64 terms; long.MaxValue for none.</summary>
    long Deadline { get; }

    /// <summary>Sends one command frame.</summary>
    void SendCommand(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data);

    /// <summary>
    /// Reads the next frame, which must be a command (a message frame is a protocol violation).
    /// The spans stay valid until the next read. libzmq's malformed PLAIN ERROR (<c>5E RROR</c>) reads as ERROR.
    /// </summary>
    void ReadCommand(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> data);

    /// <summary>True once the connection was closed (e.g. its socket disposed) while the handshake waits.</summary>
    bool IsClosed { get; }

    /// <summary>After a refusal: ERROR has been sent; keeps the connection until the peer hangs up or a short grace passes, so the ERROR is read.</summary>
    void LingerAfterError();
}

/// <summary>
/// A ZMTP security mechanism's handshake (RFC 37 §3.7 onwards): NULL, PLAIN or CURVE, client or
/// server. One instance per connection, driven on the connection's reader thread after the
/// greetings; afterwards it provides the peer's properties and, for CURVE, the frame codec.
/// </summary>
internal abstract class Mechanism
{
    /// <summary>The mechanism name in the greeting.</summary>
    public abstract string Name { get; }

    /// <summary>The as-server bit of our greeting.</summary>
    public abstract bool AsServer { get; }

    /// <summary>CURVE's MESSAGE codec once the handshake is done; null for NULL and PLAIN.</summary>
    public virtual CurveCodec? Codec => null;

    /// <summary>The peer's properties: its READY/INITIATE metadata, then ZAP's User-Id and metadata.</summary>
    public Dictionary<string, byte[]> PeerProperties { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs the handshake; returns normally when the peer is accepted, throws <see cref="ZmtpConnection.ProtocolViolation"/> otherwise.</summary>
    public abstract void Handshake(IHandshakeChannel channel);

    /// <summary>The mechanism the socket's options select.</summary>
    public static Mechanism Create(Socket owner) => owner.Mechanism switch
    {
        SecurityMechanism.Plain when owner.IsSecurityServer => new PlainServer(),
        SecurityMechanism.Plain => new PlainClient(owner.PlainUsername ?? "", owner.PlainPassword ?? ""),
        SecurityMechanism.Curve when owner.IsSecurityServer => new CurveServer(
            owner.CurveSecretKeyRaw ?? throw new ZmtpConnection.ProtocolViolation("CURVE server without CURVE_SECRETKEY", CloseKind.Internal),
            owner.CurvePublicKeyRaw ?? CurveKeyPair.DerivePublicKey(owner.CurveSecretKeyRaw)),
        SecurityMechanism.Curve => new CurveClient(
            owner.CurveServerKeyRaw ?? throw new ZmtpConnection.ProtocolViolation("CURVE client without CURVE_SERVERKEY", CloseKind.Internal),
            owner.CurvePublicKeyRaw ?? throw new ZmtpConnection.ProtocolViolation("CURVE client without CURVE_PUBLICKEY", CloseKind.Internal),
            owner.CurveSecretKeyRaw ?? throw new ZmtpConnection.ProtocolViolation("CURVE client without CURVE_SECRETKEY", CloseKind.Internal)),
        _ => new NullMechanism(),
    };

    // ---- shared steps ----

    /// <summary>Our READY/INITIATE metadata: Socket-Type and, for the types that send one, Identity.</summary>
    protected static byte[] OwnMetadata(Socket owner)
    {
        var props = new List<KeyValuePair<string, byte[]>>
        {
            new("Socket-Type", Encoding.ASCII.GetBytes(SocketTypeInfo.WireName(owner.Type))),
        };
        if (SocketTypeInfo.SendsIdentity(owner.Type)) props.Add(new("Identity", owner.RoutingIdOption ?? []));
        var meta = new byte[Engine.Metadata.Size(props)];
        Engine.Metadata.Write(meta, props);
        return meta;
    }

    /// <summary>
    /// Takes the peer's metadata: refuses a malformed list, an unknown or incompatible socket type
    /// (sending ERROR first, as DECISIONS.md asks), and keeps the properties for received messages.
    /// </summary>
    protected void AcceptPeerMetadata(IHandshakeChannel ch, ReadOnlySpan<byte> data, ZmqProtocolError malformedCode)
    {
        var props = Engine.Metadata.Parse(data)
            ?? throw Violation("malformed metadata in the peer's handshake", malformedCode == ZmqProtocolError.ZmtpInvalidMetadata ? CloseKind.InvalidMetadata : CloseKind.ProtocolCode, malformedCode);
        if (props.TryGetValue("Socket-Type", out var typeBytes))
        {
            if (!SocketTypeInfo.TryParseWireName(typeBytes, out var peerType))
                throw RefuseSocketType(ch, $"peer announced unknown socket type {Zmtp.Printable(typeBytes)}");
            if (!SocketTypeInfo.IsCompatible(ch.Owner.Type, peerType))
                throw RefuseSocketType(ch, $"incompatible peer socket type {SocketTypeInfo.WireName(peerType)} for {SocketTypeInfo.WireName(ch.Owner.Type)}");
        }
        foreach (var (k, v) in props) PeerProperties[k] = v;
    }

    private static ZmtpConnection.ProtocolViolation RefuseSocketType(IHandshakeChannel ch, string reason)
    {
        SendError(ch, "Invalid socket type");
        return new ZmtpConnection.ProtocolViolation(reason, CloseKind.IncompatibleSocketType);
    }

    /// <summary>Sends ERROR with a reason (at most 255 bytes), ignoring a peer that already left.</summary>
    protected static void SendError(IHandshakeChannel ch, string reason)
    {
        var data = new byte[1 + Encoding.ASCII.GetByteCount(reason)];
        data[0] = (byte)(data.Length - 1);
        Encoding.ASCII.GetBytes(reason, data.AsSpan(1));
        try
        {
            ch.SendCommand(Zmtp.Error, data);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
        }
    }

    /// <summary>The peer answered with ERROR: the handshake fails with its reason (a ZAP status code becomes HANDSHAKE_FAILED_AUTH).</summary>
    protected static ZmtpConnection.ProtocolViolation PeerError(ReadOnlySpan<byte> data)
    {
        if (data.Length < 1 || data[0] > data.Length - 1)
            return Violation("malformed ERROR command", CloseKind.ProtocolCode, ZmqProtocolError.ZmtpMalformedCommandError);
        string reason = Zmtp.Printable(data.Slice(1, data[0]));
        return new ZmtpConnection.ProtocolViolation($"peer sent ERROR during handshake: \"{reason}\"", CloseKind.PeerError);
    }

    /// <summary>The peer sent a command the handshake does not expect at this step.</summary>
    protected static ZmtpConnection.ProtocolViolation Unexpected(ReadOnlySpan<byte> name, string expected) =>
        new($"expected {expected}, got {Zmtp.Printable(name)}", CloseKind.UnexpectedCommand);

    protected static ZmtpConnection.ProtocolViolation Violation(string reason, CloseKind kind, ZmqProtocolError code) =>
        new(reason, kind, (long)code);

    /// <summary>
    /// Asks the ZAP handler (server side) and applies its answer: 200 continues with User-Id and
    /// metadata kept as properties; 300 closes without ERROR; 400/500 send ERROR with the code and
    /// fail with HANDSHAKE_FAILED_AUTH. Returns false when no handler is bound (the caller decides).
    /// </summary>
    protected bool Authenticate(IHandshakeChannel ch, string mechanism, params byte[][] credentials)
    {
        var reply = ZapClient.Ask(ch, mechanism, credentials);
        if (reply is null) return false;
        if (reply.StatusCode == Zap.Success)
        {
            if (reply.UserId.Length > 0) PeerProperties["User-Id"] = Encoding.UTF8.GetBytes(reply.UserId);
            foreach (var (k, v) in reply.Metadata) PeerProperties[k] = v;
            return true;
        }
        string why = $"ZAP handler refused the peer: {reply.StatusCode} {reply.StatusText}".TrimEnd();
        if (reply.StatusCode != Zap.TemporaryError)
        {
            SendError(ch, reply.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            ch.LingerAfterError();
        }
        throw new ZmtpConnection.ProtocolViolation(why, CloseKind.AuthFailed, reply.StatusCode);
    }

    /// <summary>libzmq's rule when no ZAP handler is bound: refuse only with ZAP_ENFORCE_DOMAIN and a non-empty ZAP_DOMAIN.</summary>
    protected static void NoHandler(IHandshakeChannel ch, string mechanism)
    {
        var o = ch.Owner;
        if (o.ZapEnforceDomain && o.ZapDomain.Length > 0)
            throw new ZmtpConnection.ProtocolViolation(
                $"no ZAP handler is bound at {Zap.Endpoint} and ZAP_ENFORCE_DOMAIN is set for domain \"{o.ZapDomain}\" ({mechanism})", CloseKind.NoZapHandler);
    }
}
