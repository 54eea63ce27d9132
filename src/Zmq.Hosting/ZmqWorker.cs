using Microsoft.Extensions.Hosting;

namespace Zmq.Hosting;

/// <summary>
/// A hosted service that serves one socket: it receives each message and hands it to
/// <see cref="HandleAsync"/> until the host stops. Stopping cancels a waiting receive and the token
/// given to the handler; the socket itself stays open until every hosted service has stopped, then
/// closes with its linger (within the host's shutdown timeout).
/// </summary>
/// <example>
/// <code>
/// sealed class Echo([FromKeyedServices("requests")] RepSocket socket) : ZmqWorker(socket)
/// {
///     protected override ValueTask HandleAsync(Message request, CancellationToken ct) =&gt; Socket.SendAsync(request, ct);
/// }
/// builder.Services.AddHostedService&lt;Echo&gt;();
/// </code>
/// </example>
public abstract class ZmqWorker : BackgroundService
{
    /// <summary>Serves <paramref name="socket"/> (typically a keyed service: <c>[FromKeyedServices("name")]</c>, or <see cref="IZmqSockets.Get(string)"/>).</summary>
    protected ZmqWorker(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Socket = socket;
    }

    /// <summary>The socket served.</summary>
    protected Socket Socket { get; }

    /// <summary>
    /// Handles one received message (disposed after this returns: copy what must outlive it). A REP
    /// socket must send its reply here. An exception ends the worker and, by the host's default
    /// <see cref="BackgroundServiceExceptionBehavior"/>, stops the host: catch what should not.
    /// </summary>
    protected abstract ValueTask HandleAsync(Message message, CancellationToken cancellationToken);

    /// <summary>Receives until <paramref name="stoppingToken"/> is cancelled or the socket is closed.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Return to the host at once: messages already queued would otherwise be handled inside its StartAsync.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            Message message;
            try
            {
                message = await Socket.ReceiveAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ZmqException e) when (e.Error is ZmqError.Disposed or ZmqError.ContextTerminated)
            {
                return; // closed under us (the host stopped without cancelling this worker first)
            }
            using (message) await HandleAsync(message, stoppingToken).ConfigureAwait(false);
        }
    }
}

/// <summary>A <see cref="ZmqWorker"/> around a delegate (<c>AddZmqWorker</c>).</summary>
internal sealed class DelegateZmqWorker(Socket socket, Func<Message, Socket, CancellationToken, ValueTask> handler) : ZmqWorker(socket)
{
    protected override ValueTask HandleAsync(Message message, CancellationToken cancellationToken) => handler(message, Socket, cancellationToken);
}
