namespace Zmq.Toolkit;

/// <summary>
/// zbeacon's rules for a received datagram: a beacon is at most 255 bytes (a longer datagram is no
/// beacon and is ignored); it is delivered only while a subscription is set and the beacon starts
/// with its prefix (an empty prefix takes every beacon); and never when it is byte for byte the
/// beacon being published, which is how a beacon's own broadcasts, echoed back by UDP, are
/// dropped (a peer publishing identical bytes is dropped too, as in CZMQ).
/// </summary>
internal static class BeaconFilter
{
    /// <summary>True when <paramref name="datagram"/> goes to the application.</summary>
    /// <param name="datagram">The received bytes.</param>
    /// <param name="subscription">The prefix subscribed to; null when not subscribed.</param>
    /// <param name="transmitting">The payload being published; null when silent.</param>
    public static bool Accepts(ReadOnlySpan<byte> datagram, byte[]? subscription, byte[]? transmitting)
    {
        if (datagram.Length > Beacon.MaxPayloadLength) return false;
        if (subscription is null || !datagram.StartsWith(subscription)) return false;
        return transmitting is null || !datagram.SequenceEqual(transmitting);
    }
}
