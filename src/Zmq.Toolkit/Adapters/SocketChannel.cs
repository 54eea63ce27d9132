using System.Threading.Channels;

namespace Zmq.Toolkit;

/// <summary>
/// A <see cref="Channel{T}"/> over one socket that both sends and receives (DEALER, ROUTER, PAIR,
/// REQ, REP, XPUB, XSUB): <see cref="Channel{TWrite, TRead}.Reader"/> is a
/// <see cref="SocketChannelReader"/> (what the peers send), <see cref="Channel{TWrite, TRead}.Writer"/>
/// a <see cref="SocketChannelWriter"/> (to the peers). goczmq's Channeler, without its goroutine,
/// its pipe and its two internal channels: both halves go straight to the socket, whose HWMs are the
/// back-pressure. The two halves are independent directions: completing the writer does not end the
/// reader. For one direction only, see <see cref="SocketAdapters.AsChannelReader"/> and
/// <see cref="SocketAdapters.AsChannelWriter"/>.
/// </summary>
/// <example>
/// <code>
/// using var channel = new SocketChannel(dealer);
/// await channel.Writer.WriteAsync(request, token);            // taken over: sent and disposed
/// await foreach (var reply in channel.Reader.ReadAllAsync(token))
///     using (reply) Handle(reply);
/// </code>
/// </example>
public sealed class SocketChannel : Channel<Message>, IDisposable, IAsyncDisposable
{
    private readonly SocketChannelReader _reader;
    private readonly SocketChannelWriter _writer;
    private readonly bool _ownsSocket;

    /// <summary>A channel over <paramref name="socket"/>; disposing the channel disposes the socket only when <paramref name="ownsSocket"/>.</summary>
    /// <exception cref="ArgumentException">The socket's type carries one direction only (PUSH, PUB, PULL, SUB).</exception>
    /// <exception cref="ZmqException">The socket is disposed.</exception>
    public SocketChannel(Socket socket, bool ownsSocket = false)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!SocketDirections.CanReceive(socket.Type) || !SocketDirections.CanSend(socket.Type))
            throw new ArgumentException(
                $"a SocketChannel needs a socket that sends and receives; a {socket.Type.ToString().ToUpperInvariant()} socket carries one direction: use AsChannelReader or AsChannelWriter",
                nameof(socket));
        Socket = socket;
        _reader = new SocketChannelReader(socket);
        try
        {
            _writer = new SocketChannelWriter(socket);
        }
        catch
        {
            _reader.Dispose();
            throw;
        }
        _ownsSocket = ownsSocket;
        Reader = _reader;
        Writer = _writer;
    }

    /// <summary>The socket under the channel.</summary>
    public Socket Socket { get; }

    /// <summary>Ends the reader and completes the writer; disposes the socket when the channel owns it.</summary>
    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        if (_ownsSocket) Socket.Dispose();
    }

    /// <summary>As <see cref="Dispose"/>, with the socket's linger (when the channel owns it) not blocking the caller.</summary>
    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _writer.Dispose();
        return _ownsSocket ? Socket.DisposeAsync() : ValueTask.CompletedTask;
    }
}
