using Zmq.Messages;
using Zmq.Pipes;
using Zmq.Routing;

namespace Zmq;

/// <summary>
/// SERVER (draft, libzmq ZMQ_SERVER): talks to CLIENT peers, each known by a 32-bit routing id
/// that this socket assigns (non-zero, counting from a random start, as libzmq). A received
/// message carries its client's id in <see cref="Message.RoutingId"/>; a message sent goes to the
/// client its <see cref="Message.RoutingId"/> names (<see cref="ZmqError.HostUnreachable"/> when
/// there is none). Messages are single-frame: a multipart send is refused
/// (<see cref="ZmqError.InvalidMessage"/>) and a multipart message received is dropped, as libzmq does.
/// </summary>
public sealed class ServerSocket : Socket
{
    private FairQueue _fq;
    private readonly IdTable _ids = new();

    /// <summary>Creates a SERVER socket, optionally attached to CZMQ-style endpoints (default: bind). <paramref name="configure"/> runs first, before any endpoint is attached.</summary>
    public ServerSocket(string? endpoints = null, Context? context = null, Action<ServerSocket>? configure = null) : base(SocketType.Server, endpoints, context, Configure(configure)) { }

    /// <summary>Sends <paramref name="frame"/> to the client <paramref name="routingId"/>.</summary>
    /// <exception cref="ZmqException"><see cref="ZmqError.HostUnreachable"/>: no such client.</exception>
    public void Send(uint routingId, ReadOnlySpan<byte> frame) => SendTo(this, routingId, frame);

    /// <summary>Sends <paramref name="text"/> (UTF-8) to the client <paramref name="routingId"/>.</summary>
    public void SendString(uint routingId, string text) => SendTo(this, routingId, System.Text.Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))));

    internal static void SendTo(Socket socket, uint routingId, ReadOnlySpan<byte> frame)
    {
        using var m = Message.Rent().Add(frame);
        m.RoutingId = routingId;
        socket.SendAndDispose(m);
    }

    /// <summary>As ROUTER: a connected peer gets its routing id, and becomes addressable, at its handshake.</summary>
    private protected override bool AttachOnConnect => false;

    private protected override bool AssignRoutingId(Peer peer, byte[] peerIdentity)
    {
        _ids.Assign(peer);
        return true;
    }

    private protected override void OnDetached(Peer peer) => _ids.Remove(peer);

    private protected override bool TrySendLocked(in OutFrames message) => _ids.Send(this, message);

    private protected override bool TryReceiveLocked(Message into) => IdTable.Receive(ref _fq, Peers, into);

    private protected override bool HasInLocked() => SingleFrame.Waiting(Peers);

    /// <summary>Always: a send addresses one client, and waits only if that client is full.</summary>
    private protected override bool HasOutLocked() => true;
}
