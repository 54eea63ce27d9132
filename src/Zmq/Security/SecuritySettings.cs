using System.Text;
using Zmq.Routing;
using Zmq.Wire;

namespace Zmq.Security;

/// <summary>
/// A socket's security options as they were when Bind or Connect was called (libzmq freezes them
/// there too): everything a mechanism needs, so that the mechanisms never read the socket.
/// </summary>
internal sealed class SecuritySettings
{
    public required SocketType SocketType { get; init; }
    public required SecurityMechanism Mechanism { get; init; }
    public required bool AsServer { get; init; }
    public string PlainUsername { get; init; } = "";
    public string PlainPassword { get; init; } = "";
    public byte[]? CurvePublicKey { get; init; }
    public byte[]? CurveSecretKey { get; init; }
    public byte[]? CurveServerKey { get; init; }
    public string ZapDomain { get; init; } = "";
    public bool ZapEnforceDomain { get; init; }

    /// <summary>The socket's own ROUTING_ID (sent as Identity, and as ZAP's identity frame), or empty.</summary>
    public byte[] RoutingId { get; init; } = [];

    /// <summary>Where ZAP requests go: the context's inproc handler, if one is bound when asked.</summary>
    public IZapTransport? Zap { get; init; }

    private byte[]? _metadata;

    /// <summary>Our READY/INITIATE metadata: Socket-Type and, for the types that send one, Identity.</summary>
    public byte[] OwnMetadata => _metadata ??= BuildMetadata();

    private byte[] BuildMetadata()
    {
        var props = new List<KeyValuePair<string, byte[]>>
        {
            new("Socket-Type", Encoding.ASCII.GetBytes(SocketTypeInfo.WireName(SocketType))),
        };
        if (SocketTypeInfo.SendsIdentity(SocketType)) props.Add(new("Identity", RoutingId));
        var meta = new byte[Metadata.Size(props)];
        Metadata.Write(meta, props);
        return meta;
    }
}

/// <summary>
/// How a server's mechanism reaches the ZAP handler of its context (RFC 27): implemented by the
/// socket layer over inproc, so that Security knows nothing of sockets or contexts.
/// </summary>
internal interface IZapTransport
{
    /// <summary>True when a handler is bound at <see cref="Zap.Endpoint"/> right now.</summary>
    bool HandlerBound { get; }

    /// <summary>
    /// Sends one request (its frames after the empty delimiter) and returns the exchange. When the
    /// reply arrives, <paramref name="onReply"/> is called once, on whatever thread delivered it;
    /// it must not block. Null when no handler is bound after all.
    /// </summary>
    IZapExchange? Send(byte[][] request, Action onReply);
}

/// <summary>One ZAP request in flight.</summary>
internal interface IZapExchange : IDisposable
{
    /// <summary>The reply's frames (the delimiter included), once it has arrived; false while it has not.</summary>
    bool TryTakeReply(out byte[][] frames);
}
