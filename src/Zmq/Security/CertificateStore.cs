namespace Zmq;

/// <summary>
/// A set of trusted public certificates, as CZMQ's <c>zcertstore</c>: loaded from every public
/// certificate file in a directory (files ending in <c>_secret</c> are not read) and read again
/// whenever the directory changes, plus any certificates inserted in memory. Safe for concurrent use.
/// </summary>
public sealed class CertificateStore
{
    private readonly string? _directory;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Certificate> _memory = new(StringComparer.Ordinal);
    private Dictionary<string, Certificate> _loaded = new(StringComparer.Ordinal);
    private string _snapshot = "";
    private List<string> _errors = [];

    /// <summary>A store over <paramref name="directory"/> (null: in memory only). A missing directory is an empty store until it appears.</summary>
    public CertificateStore(string? directory = null)
    {
        _directory = directory;
        lock (_lock) ReloadIfChanged(force: true);
    }

    /// <summary>The directory the store reads, if any.</summary>
    public string? Directory => _directory;

    /// <summary>The certificate with this public key (Z85, 40 characters), or null. Re-reads the directory first if it changed.</summary>
    public Certificate? Lookup(string publicKeyZ85)
    {
        ArgumentNullException.ThrowIfNull(publicKeyZ85);
        lock (_lock)
        {
            ReloadIfChanged(force: false);
            return _memory.TryGetValue(publicKeyZ85, out var c) || _loaded.TryGetValue(publicKeyZ85, out c) ? c : null;
        }
    }

    /// <summary>The certificate with this 32-byte public key, or null.</summary>
    public Certificate? Lookup(ReadOnlySpan<byte> publicKey) => publicKey.Length == 32 ? Lookup(Z85.Encode(publicKey)) : null;

    /// <summary>Adds a certificate in memory (it stays when the directory is re-read), as <c>zcertstore_insert</c>.</summary>
    public void Insert(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        lock (_lock) _memory[certificate.PublicKeyZ85] = certificate;
    }

    /// <summary>All certificates, after re-reading the directory if it changed.</summary>
    public IReadOnlyList<Certificate> Certificates
    {
        get
        {
            lock (_lock)
            {
                ReloadIfChanged(force: false);
                return [.. _memory.Values, .. _loaded.Values.Where(c => !_memory.ContainsKey(c.PublicKeyZ85))];
            }
        }
    }

    /// <summary>Why files of the last read were skipped ("file: reason"), so a bad file is never silently ignored.</summary>
    public IReadOnlyList<string> LoadErrors
    {
        get
        {
            lock (_lock) return [.. _errors];
        }
    }

    /// <summary>Reads the directory again now.</summary>
    public void Reload()
    {
        lock (_lock) ReloadIfChanged(force: true);
    }

    private IEnumerable<FileInfo> Files()
    {
        if (_directory is null || !System.IO.Directory.Exists(_directory)) return [];
        return new DirectoryInfo(_directory).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => !f.Name.EndsWith("_secret", StringComparison.Ordinal))
            .OrderBy(f => f.FullName, StringComparer.Ordinal);
    }

    private void ReloadIfChanged(bool force)
    {
        var files = Files().ToList();
        string snapshot = string.Join("\n", files.Select(f => $"{f.FullName}|{f.Length}|{f.LastWriteTimeUtc.Ticks}"));
        if (!force && snapshot == _snapshot) return;
        var loaded = new Dictionary<string, Certificate>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var f in files)
        {
            try
            {
                var cert = Certificate.Parse(File.ReadAllText(f.FullName), f.FullName); // the public file only: a trust store holds no secrets
                loaded[cert.PublicKeyZ85] = cert;
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"{f.FullName}: {e.Message}");
            }
        }
        _loaded = loaded;
        _errors = errors;
        _snapshot = snapshot;
    }
}
