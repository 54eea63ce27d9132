namespace Zmq.Samples;

/// <summary>The core of a proxy (libzmq's zmq_proxy), one direction: every message, all its frames, from one socket to another.</summary>
internal static class Forwarding
{
    /// <summary>Forwards until <paramref name="cancellationToken"/> is cancelled; <paramref name="spy"/> sees each message first.</summary>
    public static async Task ForwardAsync(Socket from, Socket to, CancellationToken cancellationToken, Action<Message>? spy = null)
    {
        try
        {
            while (true)
            {
                using var message = await from.ReceiveAsync(cancellationToken);
                spy?.Invoke(message);
                await to.SendAsync(message, cancellationToken); // copies the frames: disposing afterwards is safe
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }
}
