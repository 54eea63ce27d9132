namespace Zmq.Toolkit;

/// <summary>
/// Adapters from a socket to .NET's async shapes, each without an extra hop (no thread, no queue of
/// its own): <see cref="ReceiveAllAsync"/> (<c>await foreach</c>), <see cref="AsChannelReader"/>,
/// <see cref="AsChannelWriter"/> and <see cref="AsChannel"/> (System.Threading.Channels; goczmq's
/// Channeler), and <see cref="SocketStream"/> (a <see cref="Stream"/>; goczmq's ReadWriter).
/// </summary>
public static class SocketAdapters
{
    /// <summary>
    /// Every message <paramref name="socket"/> receives, as an async stream (<c>await foreach</c>):
    /// each step is <see cref="Socket.TryReceive(out Message?)"/>, synchronous while messages are
    /// waiting; when none is, it waits on the socket's readiness (<see cref="Socket.WatchReadiness"/>:
    /// no thread, no polling, nothing allocated per wait). Nothing is queued in between.
    /// </summary>
    /// <remarks>
    /// <para><b>Ownership.</b> Each message is the consumer's to dispose (<c>using (message)</c> in the
    /// loop body): it returns pooled buffers; one not disposed is collected by the GC.</para>
    /// <para><b>End.</b> Cancelling <paramref name="cancellationToken"/> (or the token given to
    /// <c>WithCancellation</c>) ends the enumeration with <see cref="OperationCanceledException"/> from
    /// the pending (or next) step, as .NET's async streams do; no message is lost and the socket stays
    /// usable. The enumeration ends normally once the socket is disposed or its context terminated
    /// (closing the socket stops a consumer loop; messages still queued then are not read). The
    /// socket's RCVTIMEO does not apply: a step waits until a message comes, the token is cancelled
    /// or the socket closes.</para>
    /// <para>Any number of enumerations may run over one socket at once; each message goes to one.</para>
    /// </remarks>
    /// <example>
    /// <code>
    /// await foreach (var message in pull.ReceiveAllAsync(token))
    ///     using (message) Handle(message);
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException">The socket's type cannot receive (PUSH, PUB).</exception>
    /// <exception cref="ZmqException">The socket is already disposed.</exception>
    public static IAsyncEnumerable<Message> ReceiveAllAsync(this Socket socket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!SocketDirections.CanReceive(socket.Type)) throw SocketDirections.Unsupported(socket, "receive", nameof(socket));
        if (socket.IsDisposed) throw new ZmqException(ZmqError.Disposed, "the socket has been disposed", socket.Type);
        return new ReceivedMessages(socket, cancellationToken);
    }

    /// <summary>A <see cref="System.Threading.Channels.ChannelReader{T}"/> over <paramref name="socket"/>'s receiving side (see <see cref="SocketChannelReader"/>).</summary>
    /// <exception cref="ArgumentException">The socket's type cannot receive (PUSH, PUB).</exception>
    /// <exception cref="ZmqException">The socket is disposed.</exception>
    public static SocketChannelReader AsChannelReader(this Socket socket) => new(socket);

    /// <summary>A <see cref="System.Threading.Channels.ChannelWriter{T}"/> over <paramref name="socket"/>'s sending side (see <see cref="SocketChannelWriter"/>).</summary>
    /// <exception cref="ArgumentException">The socket's type cannot send (PULL, SUB).</exception>
    /// <exception cref="ZmqException">The socket is disposed.</exception>
    public static SocketChannelWriter AsChannelWriter(this Socket socket) => new(socket);

    /// <summary>A <see cref="System.Threading.Channels.Channel{T}"/> over both sides of <paramref name="socket"/> (see <see cref="SocketChannel"/>).</summary>
    /// <exception cref="ArgumentException">The socket's type carries one direction only (PUSH, PUB, PULL, SUB).</exception>
    /// <exception cref="ZmqException">The socket is disposed.</exception>
    public static SocketChannel AsChannel(this Socket socket, bool ownsSocket = false) => new(socket, ownsSocket);
}
