using Zmq.Wire;
using System.Text;

namespace Zmq;

/// <summary>
/// ZAP (RFC 27), the ZeroMQ Authentication Protocol: a server socket asks a handler bound (REP or
/// ROUTER) at <see cref="Endpoint"/> in its context whether to accept each peer. The frames are
/// exactly libzmq's, so a handler written for libzmq works here and the reverse.
/// </summary>
public static class Zap
{
    /// <summary>Where the ZAP handler binds: <c>inproc://zeromq.zap.01</c>.</summary>
    public const string Endpoint = "inproc://zeromq.zap.01";

    /// <summary>The protocol version sent and expected: <c>1.0</c>.</summary>
    public const string Version = "1.0";

    /// <summary>Status 200: the peer is accepted.</summary>
    public const int Success = 200;
    /// <summary>Status 300: temporary failure; the connection is closed without an ERROR.</summary>
    public const int TemporaryError = 300;
    /// <summary>Status 400: authentication failure; the peer gets an ERROR and the connection closes.</summary>
    public const int AuthenticationFailure = 400;
    /// <summary>Status 500: internal error in the handler; treated as a failure.</summary>
    public const int InternalError = 500;
}

/// <summary>One ZAP request, as a handler receives it (the frames after any envelope).</summary>
public sealed class ZapRequest
{
    /// <summary>Protocol version, <c>1.0</c>.</summary>
    public required string Version { get; init; }
    /// <summary>The request id, echoed in the reply (libzmq always sends <c>1</c>).</summary>
    public required byte[] RequestId { get; init; }
    /// <summary>The server socket's ZAP_DOMAIN.</summary>
    public required string Domain { get; init; }
    /// <summary>The peer's address as libzmq gives it: its IP over tcp, <c>localhost:UID:GID:PID</c> over ipc (Linux).</summary>
    public required string Address { get; init; }
    /// <summary>The server socket's own ROUTING_ID (libzmq sends its own, not the peer's).</summary>
    public required byte[] Identity { get; init; }
    /// <summary>The mechanism: <c>NULL</c>, <c>PLAIN</c> or <c>CURVE</c>.</summary>
    public required string Mechanism { get; init; }
    /// <summary>Credentials: none for NULL, user name and password for PLAIN, the client's 32-byte public key for CURVE.</summary>
    public required IReadOnlyList<byte[]> Credentials { get; init; }

    /// <summary>PLAIN: the user name (UTF-8), else null.</summary>
    public string? Username => Mechanism == "PLAIN" && Credentials.Count >= 1 ? Encoding.UTF8.GetString(Credentials[0]) : null;

    /// <summary>PLAIN: the password (UTF-8), else null.</summary>
    public string? Password => Mechanism == "PLAIN" && Credentials.Count >= 2 ? Encoding.UTF8.GetString(Credentials[1]) : null;

    /// <summary>CURVE: the client's long-term public key (32 bytes), else null.</summary>
    public byte[]? ClientKey => Mechanism == "CURVE" && Credentials.Count >= 1 && Credentials[0].Length == 32 ? Credentials[0] : null;

    /// <summary>
    /// Reads a request from its frames (without the REP/ROUTER envelope: the first frame is the
    /// version). False, with a reason, when the frames are not a well-formed ZAP request.
    /// </summary>
    public static bool TryParse(IReadOnlyList<byte[]> frames, out ZapRequest? request, out string? error)
    {
        request = null;
        if (frames.Count < 6) { error = $"a ZAP request has at least 6 frames, not {frames.Count}"; return false; }
        string version = Encoding.UTF8.GetString(frames[0]);
        if (version != Zap.Version) { error = $"unsupported ZAP version \"{Zmtp.Printable(frames[0])}\""; return false; }
        string mechanism = Encoding.ASCII.GetString(frames[5]);
        int expected = mechanism switch { "NULL" => 0, "PLAIN" => 2, "CURVE" => 1, _ => -1 };
        if (expected >= 0 && frames.Count - 6 != expected)
        {
            error = $"a {mechanism} ZAP request carries {expected} credential frame(s), not {frames.Count - 6}";
            return false;
        }
        if (mechanism == "CURVE" && frames[6].Length != 32) { error = "a CURVE credential is a 32-byte public key"; return false; }
        request = new ZapRequest
        {
            Version = version,
            RequestId = frames[1],
            Domain = Encoding.UTF8.GetString(frames[2]),
            Address = Encoding.UTF8.GetString(frames[3]),
            Identity = frames[4],
            Mechanism = mechanism,
            Credentials = frames.Skip(6).ToArray(),
        };
        error = null;
        return true;
    }

    /// <summary>The request's frames (version first), as a server sends them after the empty delimiter.</summary>
    public byte[][] ToFrames()
    {
        var frames = new List<byte[]>
        {
            Encoding.ASCII.GetBytes(Version), RequestId, Encoding.UTF8.GetBytes(Domain), Encoding.UTF8.GetBytes(Address),
            Identity, Encoding.ASCII.GetBytes(Mechanism),
        };
        frames.AddRange(Credentials);
        return [.. frames];
    }
}

/// <summary>A handler's answer to one <see cref="ZapRequest"/>.</summary>
public sealed class ZapReply
{
    /// <summary>200, 300, 400 or 500 (see <see cref="Zap"/>).</summary>
    public required int StatusCode { get; init; }
    /// <summary>Free text explaining the status (logged; not sent to the peer).</summary>
    public string StatusText { get; init; } = "";
    /// <summary>The authenticated user, delivered with each message from this peer as the <c>User-Id</c> property.</summary>
    public string UserId { get; init; } = "";
    /// <summary>Extra properties delivered with each message from this peer (ZMTP metadata on the wire).</summary>
    public IReadOnlyDictionary<string, byte[]> Metadata { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>The reply's 7 frames (version first) for the request with this id.</summary>
    public byte[][] ToFrames(byte[] requestId)
    {
        var props = Metadata.ToList();
        var meta = new byte[Wire.Metadata.Size(props)];
        Wire.Metadata.Write(meta, props);
        return
        [
            Encoding.ASCII.GetBytes(Zap.Version), requestId, Encoding.ASCII.GetBytes(StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Encoding.UTF8.GetBytes(StatusText), Encoding.UTF8.GetBytes(UserId), meta,
        ];
    }
}
