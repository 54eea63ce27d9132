using Zmq.Messages;
using Zmq.Pipes;

namespace Zmq.Routing;

/// <summary>
/// Queueing to one peer's outbound pipe whether or not it conflates (CONFLATE keeps only the newest
/// message), plus the per-peer option effects that happen when a peer attaches.
/// </summary>
internal static class Outbox
{
    /// <summary>Whether a message can be queued to the peer now (a conflating pipe always takes one).</summary>
    public static bool HasRoom(Peer peer) => !peer.Out.IsFull || peer.Out.IsConflating;

    /// <summary>The buffer to fill with the next message for <paramref name="peer"/>; the caller checked <see cref="HasRoom"/>. Finish with <see cref="Commit"/>.</summary>
    public static FrameSet Reserve(Peer peer) =>
        peer.Out.IsConflating ? peer.Out.ReserveConflated() : peer.Out.TryReserve()!;

    /// <summary>Publishes the buffer filled after <see cref="Reserve"/>.</summary>
    public static void Commit(Peer peer)
    {
        if (peer.Out.IsConflating) peer.Out.CommitConflated(consumerActive: peer.IsInproc || peer.Connection is not null);
        else peer.Out.Commit();
    }

    /// <summary>
    /// Queues all frames of <paramref name="message"/> from <paramref name="first"/> on; the caller
    /// checked <see cref="HasRoom"/>. A message sent with <see cref="Socket.SendAndDispose"/> goes in
    /// as it is, its buffer exchanged for the slot's (no copy), when it is queued whole to one peer.
    /// </summary>
    public static void Send(Peer peer, in OutFrames message, int first = 0)
    {
        if (first == 0 && message.TakeOver is { } owned && !peer.Out.IsConflating)
        {
            peer.Out.TryReserve();
            owned.HandOver(peer.Out.ExchangeReserved(owned.Frames));
            peer.Out.Commit();
            return;
        }
        if (peer.Out.TryPutSmall(message, first)) return;
        var fs = Reserve(peer);
        message.CopyTo(fs, first);
        Commit(peer);
    }

    /// <summary>As <see cref="Send"/>, but always a copy: for messages queued to several peers (a publisher's).</summary>
    public static void Copy(Peer peer, in OutFrames message)
    {
        if (peer.Out.TryPutSmall(message, 0)) return;
        var fs = Reserve(peer);
        message.CopyTo(fs, 0);
        Commit(peer);
    }

    /// <summary>Queues a one-frame message if there is room (PROBE_ROUTER's empty message, XPUB's welcome message).</summary>
    public static void SendFrame(Peer peer, ReadOnlySpan<byte> frame)
    {
        if (!HasRoom(peer)) return;
        var fs = Reserve(peer);
        fs.Add(frame);
        Commit(peer);
    }

    /// <summary>
    /// CONFLATE for a newly attached peer: its inbound and/or outbound queue keeps only the newest
    /// message from now on. The socket reads its inbound pipes under its lock, so that side always
    /// lets a producer drop the oldest; an outbound pipe is read by the connection's writer without
    /// the lock unless it is an inproc pipe (read by the other socket).
    /// </summary>
    public static void EnableConflate(Peer peer, bool inbound, bool outbound)
    {
        if (inbound) peer.In.EnableConflate(consumerLocks: true);
        if (outbound) peer.Out.EnableConflate(consumerLocks: peer.IsInproc);
    }

    /// <summary>CONFLATE supports single-frame messages only (libzmq keeps one frame and says so).</summary>
    public static void RejectMultipart(Socket socket, in OutFrames message)
    {
        if (message.Count > 1)
            throw new ZmqException(ZmqError.NotSupported, "CONFLATE does not support multipart messages", socket.Type);
    }
}
