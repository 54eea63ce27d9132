using System.Net;

namespace Zmq.Toolkit;

/// <summary>
/// A received beacon: who sent it and its payload, the two frames zbeacon puts on its pipe
/// (<c>[ipaddress, payload]</c>).
/// </summary>
public sealed class BeaconMessage
{
    /// <summary>Creates a received beacon.</summary>
    /// <param name="address">The sender's address as text (see <see cref="Address"/>).</param>
    /// <param name="sender">The sender's address and port.</param>
    /// <param name="payload">The beacon's bytes (at most 255).</param>
    public BeaconMessage(string address, IPEndPoint sender, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(sender);
        Address = address;
        Sender = sender;
        Payload = payload;
    }

    /// <summary>
    /// The sender's address as CZMQ writes it (numeric; an IPv6 link-local address ends in
    /// <c>%</c> and the interface's name, e.g. <c>fe80::1%eth0</c>): the first frame zbeacon sends.
    /// </summary>
    public string Address { get; }

    /// <summary>The sender's address and UDP port (a zbeacon sends from its beacon port).</summary>
    public IPEndPoint Sender { get; }

    /// <summary>The payload exactly as published: the whole UDP datagram, no header or framing.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The payload decoded as UTF-8.</summary>
    public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload.Span);

    /// <inheritdoc/>
    public override string ToString() => $"{Address} ({Payload.Length} bytes)";
}
