using Lz = Zmq.LibZmq.LibZmq;

namespace Zmq.Interop.Tests;

/// <summary>
/// The skip policy of this project, in one place: every test calls <see cref="Check"/> first.
/// Without a loadable libzmq a test is skipped with a visible reason, except when the
/// environment variable CI is "true": there a skip would hide a broken runner, so it fails.
/// </summary>
internal static class LibZmqRequired
{
    internal const string MissingReason = "libzmq.so.5 not found: apt-get install libzmq5";

    public static void Check()
    {
        if (Lz.IsAvailable)
            return;
        var reason = $"{MissingReason} ({Lz.UnavailableReason})";
        if (IsCi)
            Assert.Fail($"{reason}. CI=true, so a skip counts as a failure.");
        Skip.If(true, reason);
    }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
