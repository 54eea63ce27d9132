namespace Zmq.Toolkit;

/// <summary>
/// zmsg's envelope operations (zmsg_push, zmsg_pop, zmsg_wrap, zmsg_unwrap) for ROUTER/DEALER
/// brokers: an address, an empty delimiter frame, then the body. Each returns a new message and
/// leaves the one given unchanged (dispose both).
/// </summary>
public static class Envelope
{
    /// <summary><paramref name="frame"/> then the frames of <paramref name="message"/> (zmsg_push).</summary>
    public static Message Push(Message message, ReadOnlySpan<byte> frame)
    {
        ArgumentNullException.ThrowIfNull(message);
        var m = new Message().Add(frame);
        return AddFrom(m, message, 0);
    }

    /// <summary>The frames of <paramref name="message"/> after the first, which is <paramref name="frame"/> (zmsg_pop).</summary>
    /// <exception cref="ArgumentException">The message has no frames.</exception>
    public static Message Pop(Message message, out byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Count == 0) throw new ArgumentException("the message has no frames to pop", nameof(message));
        frame = message.ToArray(0);
        return AddFrom(new Message(), message, 1);
    }

    /// <summary><paramref name="address"/>, an empty delimiter, then the frames of <paramref name="message"/> (zmsg_wrap).</summary>
    public static Message Wrap(Message message, ReadOnlySpan<byte> address)
    {
        ArgumentNullException.ThrowIfNull(message);
        var m = new Message().Add(address).AddEmpty();
        return AddFrom(m, message, 0);
    }

    /// <summary>
    /// The frames of <paramref name="message"/> after its address (the first frame, in
    /// <paramref name="address"/>) and, when there is one right after it, the empty delimiter (zmsg_unwrap).
    /// </summary>
    /// <exception cref="ArgumentException">The message has no frames.</exception>
    public static Message Unwrap(Message message, out byte[] address)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Count == 0) throw new ArgumentException("the message has no address to unwrap", nameof(message));
        address = message.ToArray(0);
        int from = message.Count > 1 && message.GetSpan(1).IsEmpty ? 2 : 1;
        return AddFrom(new Message(), message, from);
    }

    private static Message AddFrom(Message into, Message from, int first)
    {
        for (int i = first; i < from.Count; i++) into.Add(from.GetSpan(i));
        return into;
    }
}
