using System.Text;
using Zmq.Security;

namespace Zmq;

/// <summary>The ZMTP security mechanism a socket uses on tcp and ipc connections (inproc carries none).</summary>
public enum SecurityMechanism
{
    /// <summary>NULL (RFC 37): no authentication, no encryption. The default.</summary>
    Null = 0,
    /// <summary>PLAIN (RFC 24): a user name and password in clear text, checked by a ZAP handler.</summary>
    Plain = 1,
    /// <summary>CURVE (RFC 25/26): Curve25519 authentication and encryption of every frame.</summary>
    Curve = 2,
}

public abstract partial class Socket
{
    private SecurityMechanism _mechanism;
    private bool _asServer;
    private string? _plainUser;
    private string? _plainPassword;
    private byte[]? _curvePublic;
    private byte[]? _curveSecret;
    private byte[]? _curveServerKey;
    private string _zapDomain = "";

    /// <summary>
    /// MECHANISM: the security mechanism in use, chosen by the options below as libzmq chooses it
    /// (the last PLAIN_* or CURVE_* option set decides). Applies to connections made afterwards.
    /// </summary>
    public SecurityMechanism Mechanism => _mechanism;

    /// <summary>True when this socket is the server side of its PLAIN or CURVE mechanism.</summary>
    public bool IsSecurityServer => _mechanism != SecurityMechanism.Null && _asServer;

    /// <summary>
    /// PLAIN_SERVER: accept PLAIN clients (true) or go back to NULL (false). Each client's user
    /// name and password go to the ZAP handler at <c>inproc://zeromq.zap.01</c> of this socket's
    /// context (e.g. Zmq.Toolkit's <c>Authenticator</c>); as in libzmq, a PLAIN server refuses every
    /// client while no handler is bound.
    /// </summary>
    public bool PlainServer
    {
        get => _mechanism == SecurityMechanism.Plain && _asServer;
        set => SetMechanism(value ? SecurityMechanism.Plain : SecurityMechanism.Null, value);
    }

    /// <summary>PLAIN_USERNAME: makes this socket a PLAIN client with this user name (at most 255 UTF-8 bytes); null goes back to NULL.</summary>
    public string? PlainUsername
    {
        get => _plainUser;
        set
        {
            _plainUser = CheckShort(value, nameof(PlainUsername));
            SetMechanism(value is null ? SecurityMechanism.Null : SecurityMechanism.Plain, false);
        }
    }

    /// <summary>PLAIN_PASSWORD: makes this socket a PLAIN client with this password (at most 255 UTF-8 bytes); null goes back to NULL.</summary>
    public string? PlainPassword
    {
        get => _plainPassword;
        set
        {
            _plainPassword = CheckShort(value, nameof(PlainPassword));
            SetMechanism(value is null ? SecurityMechanism.Null : SecurityMechanism.Plain, false);
        }
    }

    /// <summary>
    /// CURVE_SERVER: accept CURVE clients (true; needs <see cref="CurveSecretKey"/>) or go back to
    /// NULL (false). Without a ZAP handler every client that knows our public key is accepted, as in
    /// libzmq; bind a ZAP handler (Zmq.Toolkit's <c>Authenticator</c>) to restrict clients.
    /// </summary>
    public bool CurveServer
    {
        get => _mechanism == SecurityMechanism.Curve && _asServer;
        set => SetMechanism(value ? SecurityMechanism.Curve : SecurityMechanism.Null, value);
    }

    /// <summary>CURVE_PUBLICKEY: this socket's long-term public key (32 bytes). Selects CURVE.</summary>
    public byte[]? CurvePublicKey
    {
        get => _curvePublic?.ToArray();
        set
        {
            _curvePublic = CheckKey(value, nameof(CurvePublicKey));
            SetMechanism(SecurityMechanism.Curve, _asServer);
        }
    }

    /// <summary>CURVE_SECRETKEY: this socket's long-term secret key (32 bytes). Selects CURVE.</summary>
    public byte[]? CurveSecretKey
    {
        get => _curveSecret?.ToArray();
        set
        {
            _curveSecret = CheckKey(value, nameof(CurveSecretKey));
            SetMechanism(SecurityMechanism.Curve, _asServer);
        }
    }

    /// <summary>
    /// CURVE_SERVERKEY: the server's public key (32 bytes); makes this socket a CURVE client of that
    /// server. A client without its own keys gets a fresh key pair when it first connects.
    /// </summary>
    public byte[]? CurveServerKey
    {
        get => _curveServerKey?.ToArray();
        set
        {
            _curveServerKey = CheckKey(value, nameof(CurveServerKey));
            SetMechanism(value is null ? SecurityMechanism.Null : SecurityMechanism.Curve, false);
        }
    }

    /// <summary>Sets <see cref="CurvePublicKey"/> and <see cref="CurveSecretKey"/> from a key pair (as CZMQ's <c>zcert_apply</c>).</summary>
    public void SetCurveKeys(CurveKeyPair keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        CurvePublicKey = keys.PublicKey;
        CurveSecretKey = keys.SecretKey;
    }

    /// <summary>Makes this socket a CURVE server with the given key pair.</summary>
    public void MakeCurveServer(CurveKeyPair keys)
    {
        SetCurveKeys(keys);
        CurveServer = true;
    }

    /// <summary>Makes this socket a CURVE client of the server with this public key, using <paramref name="keys"/> (or a fresh pair when null).</summary>
    public void MakeCurveClient(ReadOnlySpan<byte> serverPublicKey, CurveKeyPair? keys = null)
    {
        var pair = keys ?? CurveKeyPair.Generate();
        CurveServerKey = serverPublicKey.ToArray();
        SetCurveKeys(pair);
    }

    /// <summary>
    /// ZAP_DOMAIN: the domain sent to the ZAP handler (at most 255 bytes). With a NULL mechanism, a
    /// non-empty domain makes the socket ask the handler about each peer (when one is bound).
    /// </summary>
    public string ZapDomain
    {
        get => _zapDomain;
        set => _zapDomain = CheckShort(value ?? "", nameof(ZapDomain))!;
    }

    /// <summary>
    /// ZAP_ENFORCE_DOMAIN: with a non-empty <see cref="ZapDomain"/>, refuse peers while no ZAP handler
    /// is bound instead of accepting them (libzmq's rule for NULL and CURVE). Default false.
    /// </summary>
    public bool ZapEnforceDomain { get; set; }

    internal byte[]? CurvePublicKeyRaw => _curvePublic;
    internal byte[]? CurveSecretKeyRaw => _curveSecret;
    internal byte[]? CurveServerKeyRaw => _curveServerKey;

    private void SetMechanism(SecurityMechanism mechanism, bool asServer)
    {
        if (Type == SocketType.Stream && mechanism != SecurityMechanism.Null)
            throw new ZmqException(ZmqError.InvalidOption, $"STREAM speaks raw TCP, without ZMTP: it has no security mechanism ({mechanism} cannot be used)", Type);
        _mechanism = mechanism;
        _asServer = asServer;
    }

    /// <summary>
    /// Checks before a tcp or ipc bind or connect that the chosen mechanism has what it needs, so a
    /// missing key fails at once with a message instead of in every handshake.
    /// </summary>
    internal void ValidateSecurity(string endpoint)
    {
        switch (_mechanism)
        {
            case SecurityMechanism.Curve when _asServer && _curveSecret is null:
                throw new ZmqException(ZmqError.InvalidOption, "a CURVE server needs CURVE_SECRETKEY (CurveSecretKey or MakeCurveServer)", Type, endpoint);
            case SecurityMechanism.Curve when !_asServer && _curveServerKey is null:
                throw new ZmqException(ZmqError.InvalidOption, "a CURVE client needs CURVE_SERVERKEY (the server's public key), or set CurveServer = true for a server", Type, endpoint);
            case SecurityMechanism.Curve when !_asServer && _curveSecret is null:
                SetCurveKeys(CurveKeyPair.Generate()); // an ephemeral client identity
                break;
            case SecurityMechanism.Curve when _curvePublic is null && _curveSecret is not null:
                _curvePublic = CurveKeyPair.DerivePublicKey(_curveSecret);
                break;
        }
        if (_mechanism == SecurityMechanism.Curve && _curvePublic is not null && _curveSecret is not null
            && !CurveKeyPair.DerivePublicKey(_curveSecret).AsSpan().SequenceEqual(_curvePublic))
            throw new ZmqException(ZmqError.InvalidOption, "CURVE_PUBLICKEY does not belong to CURVE_SECRETKEY", Type, endpoint);
    }

    private byte[]? CheckKey(byte[]? key, string name)
    {
        if (key is not null && key.Length != Crypto.KeySize)
            throw BadOption(name, $"must be {Crypto.KeySize} bytes (a Z85 key decodes with Z85.Decode or CurveKeyPair.DecodeKey), not {key.Length}");
        return key?.ToArray();
    }

    private string? CheckShort(string? value, string name)
    {
        if (value is not null && Encoding.UTF8.GetByteCount(value) > 255) throw BadOption(name, "must be at most 255 bytes in UTF-8");
        return value;
    }
}
