using System.Runtime.InteropServices;

namespace Zmq.Security;

/// <summary>
/// The one place that calls libsodium (NuGet package <c>libsodium</c>: the native library for every
/// platform). No cryptography is written here, only the calls CURVE needs.
/// </summary>
internal static partial class Crypto
{
    private const string Lib = "libsodium";

    public const int KeySize = 32;

    private static readonly Lazy<bool> s_init = new(() =>
    {
        if (sodium_init() < 0) throw new InvalidOperationException("libsodium failed to initialise");
        return true;
    });

    private static void Init() => _ = s_init.Value;

    /// <summary>A new Curve25519 key pair.</summary>
    public static void BoxKeypair(Span<byte> publicKey, Span<byte> secretKey)
    {
        Init();
        if (publicKey.Length != KeySize || secretKey.Length != KeySize) throw new ArgumentException("keys are 32 bytes");
        if (crypto_box_keypair(ref MemoryMarshal.GetReference(publicKey), ref MemoryMarshal.GetReference(secretKey)) != 0)
            throw new InvalidOperationException("crypto_box_keypair failed");
    }

    /// <summary>The public key that belongs to <paramref name="secretKey"/>.</summary>
    public static void PublicFromSecret(ReadOnlySpan<byte> secretKey, Span<byte> publicKey)
    {
        Init();
        if (publicKey.Length != KeySize || secretKey.Length != KeySize) throw new ArgumentException("keys are 32 bytes");
        if (crypto_scalarmult_base(ref MemoryMarshal.GetReference(publicKey), in MemoryMarshal.GetReference(secretKey)) != 0)
            throw new InvalidOperationException("crypto_scalarmult_base failed");
    }

    [LibraryImport(Lib)]
    private static partial int sodium_init();

    [LibraryImport(Lib)]
    private static partial int crypto_box_keypair(ref byte pk, ref byte sk);

    [LibraryImport(Lib)]
    private static partial int crypto_scalarmult_base(ref byte q, in byte n);
}
