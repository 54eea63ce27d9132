using Zmq.Messages;
using Zmq.Pipes;

namespace Zmq.Routing;

/// <summary>
/// The rules of the draft types that carry single-frame messages only (SERVER, CLIENT, SCATTER,
/// GATHER, CHANNEL), as libzmq applies them: a multipart send is refused, a multipart message
/// that arrives is dropped.
/// </summary>
internal static class SingleFrame
{
    /// <summary>Refuses a multipart send, naming the type and the rule.</summary>
    public static void Check(Socket socket, in OutFrames message)
    {
        if (message.Count != 1)
            throw new ZmqException(ZmqError.InvalidMessage, $"{SocketTypeInfo.WireName(socket.Type)} sends single-frame messages, not {message.Count} frames", socket.Type);
    }

    /// <summary>Takes the next single-frame message, fair-queued, dropping multipart ones; the peer it came from, or null.</summary>
    public static Peer? Take(ref FairQueue fq, List<Peer> peers, Message into)
    {
        while (fq.Take(peers, into) is { } peer)
            if (into.Count == 1) return peer;
        return null;
    }

    /// <summary>A single-frame message waits (multipart ones at the head of a queue are dropped, as a receive would).</summary>
    public static bool Waiting(List<Peer> peers)
    {
        foreach (var p in peers)
        {
            while (p.In.Peek() is { } fs)
            {
                if (fs.Count == 1) return true;
                p.In.Release(1);
            }
        }
        return false;
    }
}
