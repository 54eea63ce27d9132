using System.Collections.ObjectModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Zmq;

/// <summary>
/// A CURVE certificate as CZMQ's <c>zcert</c> keeps it: a public key, optionally the secret key, and
/// metadata (name/value pairs). <see cref="Save"/> writes the two files CZMQ writes, NAME (public) and
/// NAME_secret (secret, owner-only), in CZMQ's ZPL layout, so CZMQ and this library read each other's
/// certificates.
/// </summary>
/// <remarks>
/// CZMQ writes metadata values in double quotes even when they hold a double quote, and then cannot
/// read them back. This class writes such values in single quotes instead (ZPL allows both) and reads
/// both styles. ZPL has no escapes, so a value cannot hold both kinds of quote, nor a line break.
/// </remarks>
public sealed class Certificate : IEquatable<Certificate>
{
    private const int KeySize = 32;
    private readonly byte[] _public;
    private readonly byte[]? _secret;
    private readonly OrderedDictionary<string, string> _meta = new(StringComparer.Ordinal);

    /// <summary>A certificate with both keys of <paramref name="keys"/>.</summary>
    public Certificate(CurveKeyPair keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _public = keys.PublicKey;
        _secret = keys.SecretKey;
        Metadata = new ReadOnlyDictionary<string, string>(_meta);
    }

    /// <summary>A public-only certificate (no secret key), as for a peer's certificate.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public Certificate(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != KeySize)
            throw new ArgumentException($"a CURVE public key is {KeySize} bytes, not {publicKey.Length}", nameof(publicKey));
        _public = publicKey.ToArray();
        Metadata = new ReadOnlyDictionary<string, string>(_meta);
    }

    /// <summary>A public-only certificate from a public key in Z85 (40 characters).</summary>
    /// <exception cref="FormatException">Not a 40-character Z85 key; the message says why.</exception>
    public static Certificate FromPublicKey(string publicKeyZ85) => new(CurveKeyPair.DecodeKey(publicKeyZ85, "public"));

    /// <summary>A certificate with a new random key pair (as <c>zcert_new</c>).</summary>
    public static Certificate Generate() => new(CurveKeyPair.Generate());

    /// <summary>A copy of the public key (32 bytes).</summary>
    public byte[] PublicKey => (byte[])_public.Clone();

    /// <summary>A copy of the secret key (32 bytes), or null for a public-only certificate.</summary>
    public byte[]? SecretKey => (byte[]?)_secret?.Clone();

    /// <summary>The public key in Z85 (40 characters).</summary>
    public string PublicKeyZ85 => Z85.Encode(_public);

    /// <summary>The secret key in Z85 (40 characters), or null for a public-only certificate.</summary>
    public string? SecretKeyZ85 => _secret is null ? null : Z85.Encode(_secret);

    /// <summary>True when the certificate holds the secret key.</summary>
    public bool HasSecretKey => _secret is not null;

    /// <summary>The key pair, or null for a public-only certificate.</summary>
    public CurveKeyPair? KeyPair => _secret is null ? null : CurveKeyPair.FromSecretKey(_secret);

    /// <summary>The metadata, in the order names were first set (a read-only view).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Sets metadata <paramref name="name"/> to <paramref name="value"/> (as <c>zcert_set_meta</c>).</summary>
    /// <exception cref="ArgumentException">
    /// The name is empty or holds characters a ZPL name cannot (letters, digits and <c>$-_@.&amp;+/</c> only),
    /// or the value holds a line break, a NUL, or both a double and a single quote, which the file format cannot hold.
    /// </exception>
    public void SetMeta(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0 || !name.All(Zpl.IsNameChar))
            throw new ArgumentException($"metadata name '{name}' is not a ZPL name (letters, digits and $-_@.&+/ only)", nameof(name));
        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            throw new ArgumentException($"metadata value of '{name}' holds a line break or NUL, which a certificate file cannot hold", nameof(value));
        if (value.Contains('"') && value.Contains('\''))
            throw new ArgumentException($"metadata value of '{name}' holds both \" and ', which a certificate file cannot quote", nameof(value));
        _meta[name] = value;
    }

    /// <summary>The metadata value of <paramref name="name"/>, or null when it is not set (as <c>zcert_meta</c>).</summary>
    public string? GetMeta(string name) => _meta.TryGetValue(name, out var value) ? value : null;

    /// <summary>
    /// Writes the public certificate to <paramref name="path"/> and, when the secret key is held, the
    /// secret certificate to <paramref name="path"/>_secret (as <c>zcert_save</c>). When the secret
    /// file cannot be written, a public file this call created is removed again, so a failed save
    /// never leaves a public certificate without its secret half.
    /// </summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool existed = File.Exists(path);
        SavePublic(path);
        if (_secret is null) return;
        try
        {
            SaveSecret(path + "_secret");
        }
        catch when (!existed)
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes the public certificate (no secret key) to <paramref name="path"/> (as <c>zcert_save_public</c>).</summary>
    public void SavePublic(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllText(path, ToText(secret: false), Utf8);
    }

    /// <summary>
    /// Writes the secret certificate (both keys) to <paramref name="path"/> (as <c>zcert_save_secret</c>),
    /// readable and writable by its owner only (mode 0600) on Unix.
    /// </summary>
    /// <exception cref="InvalidOperationException">The certificate is public-only.</exception>
    public void SaveSecret(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_secret is null)
            throw new InvalidOperationException("a public-only certificate has no secret key to save");
        byte[] bytes = Utf8.GetBytes(ToText(secret: true));
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllBytes(path, bytes);
            return;
        }
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
        if (File.Exists(path))
            File.SetUnixFileMode(path, OwnerOnly); // an existing file keeps its mode: restrict it before writing
        using (var stream = new FileStream(path, options))
            stream.Write(bytes);
        File.SetUnixFileMode(path, OwnerOnly);
    }

    /// <summary>
    /// Loads the certificate at <paramref name="path"/>: from <paramref name="path"/>_secret when that
    /// file exists (both keys), else from <paramref name="path"/> (public only), as <c>zcert_load</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither file exists.</exception>
    /// <exception cref="FormatException">The file is malformed; the message names the file, the line and the problem.</exception>
    public static Certificate Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string secretPath = path + "_secret";
        string file = File.Exists(secretPath) ? secretPath : path;
        if (!File.Exists(file))
            throw new FileNotFoundException($"no certificate at {path} (nor {secretPath})", path);
        return Parse(File.ReadAllText(file, Utf8), file);
    }

    /// <summary>Parses certificate text (either file); <paramref name="source"/> names it in errors.</summary>
    internal static Certificate Parse(string text, string source)
    {
        var root = Zpl.Parse(text, source);
        var curve = root.Child("curve")
            ?? throw new FormatException($"{source}: no 'curve' section, so this is not a CURVE certificate");
        var publicItem = curve.Child("public-key")
            ?? throw new FormatException($"{source}, line {curve.Line}: the 'curve' section has no public-key");
        byte[] publicKey = DecodeKey(publicItem, "public", source);
        Certificate cert;
        var secretItem = curve.Child("secret-key");
        if (secretItem is null)
        {
            cert = new Certificate(publicKey);
        }
        else
        {
            var keys = CurveKeyPair.FromSecretKey(DecodeKey(secretItem, "secret", source));
            if (!CryptographicOperations.FixedTimeEquals(keys.PublicKey, publicKey))
                throw new FormatException($"{source}, line {publicItem.Line}: public-key does not belong to the secret-key");
            cert = new Certificate(keys);
        }
        if (root.Child("metadata") is { } metadata)
        {
            foreach (var item in metadata.Children)
                cert._meta[item.Name] = item.Value ?? ""; // zconfig_value gives "" for an item without a value
        }
        return cert;
    }

    private static byte[] DecodeKey(Zpl.Node item, string what, string source)
    {
        try
        {
            return CurveKeyPair.DecodeKey(item.Value ?? "", what);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{source}, line {item.Line}: bad {item.Name}: {e.Message}", e);
        }
    }

    /// <summary>The file text, laid out as CZMQ's zconfig_save writes it (comments, blank line, metadata, curve).</summary>
    internal string ToText(bool secret)
    {
        var sb = new StringBuilder();
        string now = DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        sb.Append("#   ****  Generated on ").Append(now).Append(" by Zmq  ****\n"); // CZMQ writes "by CZMQ"; readers ignore comments
        if (secret)
        {
            sb.Append("#   ZeroMQ CURVE **Secret** Certificate\n");
            sb.Append("#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n");
        }
        else
        {
            sb.Append("#   ZeroMQ CURVE Public Certificate\n");
            sb.Append("#   Exchange securely, or use a secure mechanism to verify the contents\n");
            sb.Append("#   of this file after exchange. Store public certificates in your home\n");
            sb.Append("#   directory, in the .curve subdirectory.\n");
        }
        sb.Append('\n');
        Zpl.WriteSection(sb, 1, "metadata");
        foreach (var (name, value) in _meta)
            Zpl.WriteValue(sb, 2, name, value);
        Zpl.WriteSection(sb, 1, "curve");
        Zpl.WriteValue(sb, 2, "public-key", PublicKeyZ85);
        if (secret)
            Zpl.WriteValue(sb, 2, "secret-key", SecretKeyZ85!);
        return sb.ToString();
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>True when both certificates hold the same public key and the same secret key (or both none), as <c>zcert_eq</c>; metadata is not compared.</summary>
    public bool Equals(Certificate? other) =>
        other is not null
        && _public.AsSpan().SequenceEqual(other._public)
        && (_secret is null ? other._secret is null : other._secret is not null && CryptographicOperations.FixedTimeEquals(_secret, other._secret));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Certificate);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_public, 0);

    /// <summary>The public key in Z85; never the secret key.</summary>
    public override string ToString() => $"Certificate(public {PublicKeyZ85}{(_secret is null ? ", public only" : "")})";
}
