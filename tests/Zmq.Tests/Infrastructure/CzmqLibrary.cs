using System.Runtime.InteropServices;

namespace Zmq.Tests.Infrastructure;

/// <summary>
/// Debian's libczmq.so.4 (CZMQ 4.2.1), P/Invoked by the interop and toolkit tests; each test
/// project declares the functions it calls in its own part of this class.
/// </summary>
internal static partial class Czmq
{
    private const string Lib = "libczmq.so.4";

    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        try
        {
            return NativeLibrary.TryLoad(Lib, out _) ? null : "cannot be loaded";
        }
        catch (Exception e)
        {
            return e.Message;
        }
    });

    /// <summary>Skips the test without libczmq; under CI=true that is a failure.</summary>
    public static void Require()
    {
        if (Unavailable.Value is null) return;
        string reason = $"libczmq.so.4 not found: apt-get install libczmq4 ({Unavailable.Value})";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Xunit.Assert.Fail(reason + ". CI=true, so a skip counts as a failure.");
        Xunit.Skip.If(true, reason);
    }
}
