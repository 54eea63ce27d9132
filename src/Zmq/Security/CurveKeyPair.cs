using Zmq.Security;

namespace Zmq;

/// <summary>
/// A CURVE key pair (Curve25519, 32-byte keys; 40 characters in Z85), made by libsodium as libzmq's
/// <c>zmq_curve_keypair</c> does.
/// </summary>
public sealed class CurveKeyPair
{
    private readonly byte[] _public;
    private readonly byte[] _secret;

    private CurveKeyPair(byte[] publicKey, byte[] secretKey)
    {
        _public = publicKey;
        _secret = secretKey;
    }

    /// <summary>A new random key pair.</summary>
    public static CurveKeyPair Generate()
    {
        var pub = new byte[Crypto.KeySize];
        var sec = new byte[Crypto.KeySize];
        Crypto.BoxKeypair(pub, sec);
        return new CurveKeyPair(pub, sec);
    }

    /// <summary>The pair that belongs to a 32-byte secret key (its public key is derived, as <c>zmq_curve_public</c> does).</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public static CurveKeyPair FromSecretKey(ReadOnlySpan<byte> secretKey)
    {
        if (secretKey.Length != Crypto.KeySize)
            throw new ArgumentException($"a CURVE secret key is 32 bytes, not {secretKey.Length}", nameof(secretKey));
        var sec = secretKey.ToArray();
        return new CurveKeyPair(DerivePublicKey(sec), sec);
    }

    /// <summary>The pair that belongs to a secret key in Z85 (40 characters).</summary>
    /// <exception cref="FormatException">The text is not a 40-character Z85 key; the message says why.</exception>
    public static CurveKeyPair FromSecretKey(string secretKeyZ85) => FromSecretKey(DecodeKey(secretKeyZ85, "secret"));

    /// <summary>Derives the public key of a 32-byte secret key.</summary>
    public static byte[] DerivePublicKey(ReadOnlySpan<byte> secretKey)
    {
        if (secretKey.Length != Crypto.KeySize)
            throw new ArgumentException($"a CURVE secret key is 32 bytes, not {secretKey.Length}", nameof(secretKey));
        var pub = new byte[Crypto.KeySize];
        Crypto.PublicFromSecret(secretKey, pub);
        return pub;
    }

    /// <summary>Decodes a 40-character Z85 CURVE key to its 32 bytes.</summary>
    /// <exception cref="FormatException">Not 40 characters, or not Z85; the message says which.</exception>
    public static byte[] DecodeKey(string z85, string what = "")
    {
        ArgumentNullException.ThrowIfNull(z85);
        string name = what.Length > 0 ? $"CURVE {what} key" : "CURVE key";
        if (z85.Length != 40) throw new FormatException($"a {name} in Z85 is 40 characters, not {z85.Length}");
        try
        {
            return Z85.Decode(z85);
        }
        catch (FormatException e)
        {
            throw new FormatException($"the {name} is not valid Z85: {e.Message}", e);
        }
    }

    /// <summary>A copy of the public key (32 bytes).</summary>
    public byte[] PublicKey => _public.ToArray();

    /// <summary>A copy of the secret key (32 bytes). Keep it secret.</summary>
    public byte[] SecretKey => _secret.ToArray();

    /// <summary>The public key in Z85 (40 characters).</summary>
    public string PublicKeyZ85 => Z85.Encode(_public);

    /// <summary>The secret key in Z85 (40 characters).</summary>
    public string SecretKeyZ85 => Z85.Encode(_secret);

    /// <summary>The public key in Z85; never the secret key.</summary>
    public override string ToString() => $"CurveKeyPair(public {PublicKeyZ85})";
}
