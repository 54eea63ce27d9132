using System.Runtime.InteropServices;

namespace Zmq.LibZmq;

/// <summary>Whether the system libzmq can be used, its version, and library-wide calls.</summary>
/// <remarks>
/// Code in a namespace under <c>Zmq</c> (e.g. <c>Zmq.Interop.Tests</c>) sees the namespace
/// <c>Zmq.LibZmq</c> before this class when it writes <c>LibZmq.IsAvailable</c>; write
/// <c>global::Zmq.LibZmq.LibZmq.IsAvailable</c> or add <c>using Lz = Zmq.LibZmq.LibZmq;</c>.
/// </remarks>
public static class LibZmq
{
    private static readonly Lazy<(bool Ok, string? Reason)> Probe = new(ProbeOnce);

    /// <summary>True when libzmq loads and answers zmq_version. Never throws.</summary>
    public static bool IsAvailable => Probe.Value.Ok;

    /// <summary>Why <see cref="IsAvailable"/> is false (null when it is true).</summary>
    public static string? UnavailableReason => Probe.Value.Reason;

    /// <summary>The loaded libzmq's version, e.g. 4.3.4. Throws <see cref="DllNotFoundException"/> when unavailable.</summary>
    public static Version Version
    {
        get
        {
            Native.zmq_version(out var major, out var minor, out var patch);
            return new Version(major, minor, patch);
        }
    }

    /// <summary>zmq_errno(): the calling thread's last libzmq error number.</summary>
    public static int Errno => Native.zmq_errno();

    /// <summary>zmq_strerror(errnum): libzmq's text for an error number.</summary>
    public static string StrError(int errnum) => Marshal.PtrToStringUTF8(Native.zmq_strerror(errnum)) ?? $"errno {errnum}";

    /// <summary>zmq_has(capability), e.g. "curve", "ipc", "draft".</summary>
    public static bool Has(string capability) => Native.zmq_has(capability) == 1;

    /// <summary>zmq_curve_keypair: a new CURVE key pair as 40-character Z85 strings.</summary>
    public static unsafe (string PublicKey, string SecretKey) CurveKeypair()
    {
        byte* pub = stackalloc byte[41];
        byte* sec = stackalloc byte[41];
        if (Native.zmq_curve_keypair(pub, sec) != 0)
            throw LzException.FromErrno("zmq_curve_keypair");
        return (Marshal.PtrToStringUTF8((IntPtr)pub)!, Marshal.PtrToStringUTF8((IntPtr)sec)!);
    }

    /// <summary>zmq_curve_public: the Z85 public key for a Z85 secret key.</summary>
    public static unsafe string CurvePublic(string secretKeyZ85)
    {
        ArgumentNullException.ThrowIfNull(secretKeyZ85);
        if (secretKeyZ85.Length != 40)
            throw new ArgumentException("A Z85 CURVE key is 40 characters.", nameof(secretKeyZ85));
        byte* pub = stackalloc byte[41];
        byte* sec = stackalloc byte[41];
        for (var i = 0; i < 40; i++)
            sec[i] = (byte)secretKeyZ85[i];
        sec[40] = 0;
        if (Native.zmq_curve_public(pub, sec) != 0)
            throw LzException.FromErrno("zmq_curve_public");
        return Marshal.PtrToStringUTF8((IntPtr)pub)!;
    }

    private static (bool, string?) ProbeOnce()
    {
        try
        {
            if (Native.TryLoad(out var error) == IntPtr.Zero)
                return (false, error);
            Native.zmq_version(out var major, out _, out _);
            return major >= 4 ? (true, null) : (false, $"libzmq {major}.x is too old (need 4.x)");
        }
        catch (Exception e)
        {
            return (false, e.GetType().Name + ": " + e.Message);
        }
    }
}
