using System.Text;

namespace Zmq.Cli.Doctor;

/// <summary>
/// Socket set-up and bounded expectations for the self-checks: every socket lingers briefly,
/// gives up a handshake quickly and every wait has a deadline, so a check can fail but never hang.
/// </summary>
internal static class Probe
{
    /// <summary>How long a check waits for a message that should arrive.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    /// <summary>How long a check waits to be sure a message that must not arrive does not.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    /// <summary>An endpoint list that binds a fresh address on <paramref name="transport"/> (tcp: an ephemeral loopback port; ipc: a new path; inproc: a new name).</summary>
    public static string Any(DoctorTransport transport) => "@" + transport.BindAny();

    /// <summary>Sets the doctor's short intervals and time-outs on <paramref name="socket"/>, then attaches its endpoints.</summary>
    public static T Open<T>(T socket, string endpoints) where T : Socket
    {
        try
        {
            socket.Linger = TimeSpan.FromMilliseconds(100);
            socket.HandshakeInterval = TimeSpan.FromSeconds(2);
            socket.ReconnectInterval = TimeSpan.FromMilliseconds(50);
            socket.SendTimeout = Wait;
            socket.ReceiveTimeout = Wait;
            socket.Attach(endpoints);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The connect endpoint (<c>&gt;tcp://...</c>, <c>&gt;ipc://...</c>, <c>&gt;inproc://...</c>) for the address <paramref name="bound"/> is bound to.</summary>
    public static string ConnectTo(Socket bound) =>
        ">" + (bound.LastEndpoint ?? throw new CheckFailed($"{bound} has no LastEndpoint after binding"));

    /// <summary>Receives one message within <see cref="Wait"/>, or fails the check.</summary>
    public static Message Receive(Socket socket)
    {
        if (socket.TryReceive(Wait, out var m)) return m;
        throw new CheckFailed($"{socket} received nothing within {Wait.TotalSeconds:0} s");
    }

    /// <summary>Receives one message and checks its frames are exactly <paramref name="frames"/> (UTF-8).</summary>
    public static void Expect(Socket socket, params string[] frames)
    {
        using var m = Receive(socket);
        Frames(socket, m, frames);
    }

    /// <summary>Checks that <paramref name="m"/>'s frames are exactly <paramref name="frames"/> (UTF-8).</summary>
    public static void Frames(Socket socket, Message m, params string[] frames)
    {
        bool same = m.Count == frames.Length;
        for (int i = 0; same && i < frames.Length; i++)
            same = m.GetSpan(i).SequenceEqual(Encoding.UTF8.GetBytes(frames[i]));
        if (!same)
            throw new CheckFailed($"{socket} expected {Show(frames)}, received {Show(m)}");
    }

    /// <summary>Fails the check if <paramref name="socket"/> receives anything within <see cref="Quiet"/>.</summary>
    public static void Nothing(Socket socket, string why)
    {
        if (socket.TryReceive(Quiet, out var m))
        {
            using (m) throw new CheckFailed($"{socket} received {Show(m)}, but {why}");
        }
    }

    /// <summary>A message's frames for a failure reason: printable text quoted, anything else in hex.</summary>
    public static string Show(Message m)
    {
        var parts = new string[m.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = Show(m.GetSpan(i));
        return "[" + string.Join(", ", parts) + "]";
    }

    private static string Show(string[] frames) => "[" + string.Join(", ", frames.Select(f => Show(Encoding.UTF8.GetBytes(f)))) + "]";

    private static string Show(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > 40) return $"<{frame.Length} bytes>";
        foreach (var b in frame)
            if (b is < 0x20 or > 0x7e) return "0x" + Convert.ToHexString(frame);
        return "'" + Encoding.ASCII.GetString(frame) + "'";
    }
}
