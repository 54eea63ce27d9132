namespace Zmq.Hosting;

/// <summary>
/// The host's named sockets (registered with <c>AddZmqSocket</c> or configured under
/// <c>Zmq:Sockets</c>). A socket is created, with its options and endpoints, when it is first asked
/// for, and at the latest when the host starts; the host closes it when it stops. Each socket is
/// also a keyed service: <c>[FromKeyedServices("jobs")] PullSocket jobs</c>.
/// </summary>
public interface IZmqSockets
{
    /// <summary>The registered socket names, in registration order.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The socket named <paramref name="name"/> (case-insensitive), created on first use.</summary>
    /// <exception cref="InvalidOperationException">No socket of that name is registered, its endpoints could not be attached, or the host has stopped.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Its configuration is invalid; the message names each key and value.</exception>
    Socket Get(string name);

    /// <summary>The socket named <paramref name="name"/> as its class (e.g. <see cref="PullSocket"/>).</summary>
    /// <exception cref="InvalidOperationException">As <see cref="Get(string)"/>, or the socket is not a <typeparamref name="T"/>.</exception>
    T Get<T>(string name) where T : Socket;
}
