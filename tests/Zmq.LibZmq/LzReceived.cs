namespace Zmq.LibZmq;

/// <summary>A frame received with <see cref="LzSocket.ReceiveWithMetadata"/>.</summary>
/// <param name="Data">The frame's bytes.</param>
/// <param name="More">Whether more frames of the message follow.</param>
/// <param name="Properties">The metadata asked for; null where the frame has none of that name.</param>
public sealed record LzReceived(byte[] Data, bool More, IReadOnlyDictionary<string, string?> Properties);
