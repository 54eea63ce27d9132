using System.Text;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Options;

/// <summary>Endpoints and waits shared by the option tests (every wait bounded, sockets from <see cref="SocketScope"/>).</summary>
internal static class OptionTestKit
{
    private static long s_next;

    public static string Inproc(string tag) => $"inproc://opt-{tag}-{Interlocked.Increment(ref s_next)}-{Guid.NewGuid():N}";

    /// <summary>Binds tcp on an ephemeral port (or a fresh inproc name) and returns the endpoint to connect to.</summary>
    public static string Bind(Socket s, string transport)
    {
        if (transport == "inproc")
        {
            var ep = Inproc(s.Type.ToString());
            s.Bind(ep);
            return ep;
        }
        s.Bind("tcp://127.0.0.1:*");
        return s.LastEndpoint!;
    }

    public static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    public static string[] Strings(byte[][] frames) => frames.Select(f => Encoding.UTF8.GetString(f)).ToArray();

    /// <summary>
    /// Publishes <paramref name="probe"/> until <paramref name="sub"/> receives it (subscriptions take
    /// effect asynchronously). With <paramref name="onlyProbes"/>, anything else received fails the test.
    /// </summary>
    public static void Settle(Socket pub, Socket sub, string probe, bool onlyProbes = false)
    {
        var deadline = Environment.TickCount64 + 5000;
        while (true)
        {
            pub.TrySend(B(probe));
            if (sub.TryReceive(TimeSpan.FromMilliseconds(20), out var m))
            {
                using (m)
                {
                    if (m.Count == 1 && m.GetString(0) == probe) return;
                    if (onlyProbes) Assert.Fail($"{sub} received [{string.Join(", ", Strings(m.ToArrays()))}] while waiting for \"{probe}\"");
                }
            }
            if (Environment.TickCount64 > deadline) Assert.Fail($"{sub} never received the probe \"{probe}\" from {pub}");
        }
    }

    /// <summary>Nothing arrives within <paramref name="ms"/>.</summary>
    public static void AssertNothing(Socket s, int ms = 200, string what = "")
    {
        if (s.TryReceive(TimeSpan.FromMilliseconds(ms), out var m))
        {
            using (m) Assert.Fail($"{s} unexpectedly received [{string.Join(", ", Strings(m.ToArrays()))}] {what}");
        }
    }

    /// <summary>The next subscription notification (or other message) an XPUB receives, as "+topic", "-topic" or the text.</summary>
    public static string Notification(XPubSocket xpub)
    {
        var b = xpub.ReceiveBytes();
        return b.Length > 0 && b[0] is 0 or 1 ? (b[0] == 1 ? "+" : "-") + Encoding.UTF8.GetString(b, 1, b.Length - 1) : Encoding.UTF8.GetString(b);
    }
}
