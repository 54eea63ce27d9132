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
    /// <summary>crypto_box / crypto_secretbox authenticator size: a box is this much larger than its plaintext.</summary>
    public const int MacSize = 16;
    /// <summary>crypto_box / crypto_secretbox nonce size.</summary>
    public const int NonceSize = 24;

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

    /// <summary>Fills <paramref name="buffer"/> with unpredictable bytes (randombytes_buf).</summary>
    public static void Random(Span<byte> buffer)
    {
        Init();
        randombytes_buf(ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
    }

    /// <summary>crypto_box_easy: box <paramref name="plain"/> from <paramref name="secretKey"/> to <paramref name="publicKey"/> into <paramref name="box"/> (16 bytes longer).</summary>
    public static void Box(Span<byte> box, ReadOnlySpan<byte> plain, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> secretKey)
    {
        Init();
        Check(box.Length == plain.Length + MacSize && nonce.Length == NonceSize && publicKey.Length == KeySize && secretKey.Length == KeySize);
        if (crypto_box_easy(ref MemoryMarshal.GetReference(box), in MemoryMarshal.GetReference(plain), (ulong)plain.Length,
                in MemoryMarshal.GetReference(nonce), in MemoryMarshal.GetReference(publicKey), in MemoryMarshal.GetReference(secretKey)) != 0)
            throw new InvalidOperationException("crypto_box_easy failed");
    }

    /// <summary>crypto_box_open_easy: false when the box does not verify (wrong keys, nonce or tampered bytes).</summary>
    public static bool BoxOpen(Span<byte> plain, ReadOnlySpan<byte> box, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> secretKey)
    {
        Init();
        Check(box.Length == plain.Length + MacSize && nonce.Length == NonceSize && publicKey.Length == KeySize && secretKey.Length == KeySize);
        return crypto_box_open_easy(ref MemoryMarshal.GetReference(plain), in MemoryMarshal.GetReference(box), (ulong)box.Length,
            in MemoryMarshal.GetReference(nonce), in MemoryMarshal.GetReference(publicKey), in MemoryMarshal.GetReference(secretKey)) == 0;
    }

    /// <summary>
    /// crypto_box_beforenm: the shared key of a key pair's secret half and a peer's public key, for
    /// the *_afternm calls. False for a weak (low-order) public key, which a peer can send.
    /// </summary>
    public static bool TryBoxBeforeNm(Span<byte> sharedKey, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> secretKey)
    {
        Init();
        Check(sharedKey.Length == KeySize && publicKey.Length == KeySize && secretKey.Length == KeySize);
        return crypto_box_beforenm(ref MemoryMarshal.GetReference(sharedKey), in MemoryMarshal.GetReference(publicKey), in MemoryMarshal.GetReference(secretKey)) == 0;
    }

    /// <summary>crypto_box_easy_afternm with a shared key; <paramref name="box"/> may overlap <paramref name="plain"/> (libsodium moves it first).</summary>
    public static void BoxAfterNm(Span<byte> box, ReadOnlySpan<byte> plain, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sharedKey)
    {
        Check(box.Length == plain.Length + MacSize && nonce.Length == NonceSize && sharedKey.Length == KeySize);
        if (crypto_box_easy_afternm(ref MemoryMarshal.GetReference(box), in MemoryMarshal.GetReference(plain), (ulong)plain.Length,
                in MemoryMarshal.GetReference(nonce), in MemoryMarshal.GetReference(sharedKey)) != 0)
            throw new InvalidOperationException("crypto_box_easy_afternm failed");
    }

    /// <summary>crypto_box_open_easy_afternm with a shared key; false when the box does not verify. <paramref name="plain"/> may overlap <paramref name="box"/>.</summary>
    public static bool BoxOpenAfterNm(Span<byte> plain, ReadOnlySpan<byte> box, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sharedKey)
    {
        Check(box.Length == plain.Length + MacSize && nonce.Length == NonceSize && sharedKey.Length == KeySize);
        return crypto_box_open_easy_afternm(ref MemoryMarshal.GetReference(plain), in MemoryMarshal.GetReference(box), (ulong)box.Length,
            in MemoryMarshal.GetReference(nonce), in MemoryMarshal.GetReference(sharedKey)) == 0;
    }

    /// <summary>crypto_secretbox_easy: box <paramref name="plain"/> under a symmetric key (the CURVE cookie).</summary>
    public static void SecretBox(Span<byte> box, ReadOnlySpan<byte> plain, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        Init();
        Check(box.Length == plain.Length + MacSize && nonce.Length == NonceSize && key.Length == KeySize);
        if (crypto_secretbox_easy(ref MemoryMarshal.GetReference(box), in MemoryMarshal.GetReference(plain), (ulong)plain.Length,
                in MemoryMarshal.GetReference(nonce), in MemoryMarshal.GetReference(key)) != 0)
            throw new InvalidOperationException("crypto_secretbox_easy failed");
    }

    /// <summary>crypto_secretbox_open_easy: false when the box does not verify.</summary>
    public static bool SecretBoxOpen(Span<byte> plain, ReadOnlySpan<byte> box, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key)
    {
        Init();
        Check(box.Length == plain.Length + MacSize && nonce.Length == NonceSize && key.Length == KeySize);
        return crypto_secretbox_open_easy(ref MemoryMarshal.GetReference(plain), in MemoryMarshal.GetReference(box), (ulong)box.Length,
            in MemoryMarshal.GetReference(nonce), in MemoryMarshal.GetReference(key)) == 0;
    }

    /// <summary>Zeroes secret material in a way the compiler cannot drop (sodium_memzero).</summary>
    public static void Wipe(Span<byte> secret)
    {
        if (secret.IsEmpty) return;
        Init();
        sodium_memzero(ref MemoryMarshal.GetReference(secret), (nuint)secret.Length);
    }

    private static void Check(bool ok)
    {
        if (!ok) throw new ArgumentException("wrong buffer, key or nonce size for a libsodium box");
    }

    [LibraryImport(Lib)]
    private static partial int sodium_init();

    [LibraryImport(Lib)]
    private static partial void randombytes_buf(ref byte buf, nuint size);

    [LibraryImport(Lib)]
    private static partial void sodium_memzero(ref byte pnt, nuint len);

    [LibraryImport(Lib)]
    private static partial int crypto_box_easy(ref byte c, in byte m, ulong mlen, in byte n, in byte pk, in byte sk);

    [LibraryImport(Lib)]
    private static partial int crypto_box_open_easy(ref byte m, in byte c, ulong clen, in byte n, in byte pk, in byte sk);

    [LibraryImport(Lib)]
    private static partial int crypto_box_beforenm(ref byte k, in byte pk, in byte sk);

    [LibraryImport(Lib)]
    private static partial int crypto_box_easy_afternm(ref byte c, in byte m, ulong mlen, in byte n, in byte k);

    [LibraryImport(Lib)]
    private static partial int crypto_box_open_easy_afternm(ref byte m, in byte c, ulong clen, in byte n, in byte k);

    [LibraryImport(Lib)]
    private static partial int crypto_secretbox_easy(ref byte c, in byte m, ulong mlen, in byte n, in byte k);

    [LibraryImport(Lib)]
    private static partial int crypto_secretbox_open_easy(ref byte m, in byte c, ulong clen, in byte n, in byte k);

    [LibraryImport(Lib)]
    private static partial int crypto_box_keypair(ref byte pk, ref byte sk);

    [LibraryImport(Lib)]
    private static partial int crypto_scalarmult_base(ref byte q, in byte n);
}
