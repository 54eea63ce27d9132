using System.Text;

namespace Zmq;

/// <summary>
/// A PLAIN password file as CZMQ's zauth reads it (<c>zhashx_load</c>): one <c>user=password</c> per
/// line, split at the first <c>=</c>; lines starting with <c>#</c>, lines without <c>=</c> and lines
/// starting with <c>=</c> are skipped; nothing is trimmed (a trailing CR is dropped so CRLF files
/// work); a later line for the same user wins. Read again when the file changes.
/// </summary>
internal sealed class PasswordFile
{
    /// <summary>A file modified this recently before it was read may change again with the same size and time stamp: read it again.</summary>
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private (bool Exists, long Length, DateTime Modified) _stamp;
    private DateTime _loadedAt;
    private bool _loaded;
    private Dictionary<string, string>? _users;
    private string? _error;

    public PasswordFile(string path) => Path = path;

    /// <summary>The file's path as configured.</summary>
    public string Path { get; }

    /// <summary>
    /// The users of the file's current contents (re-read first if it changed). False, with the reason,
    /// when the file is missing or unreadable; <paramref name="changed"/> says whether this call found
    /// new contents or a new error (the first call always does).
    /// </summary>
    public bool TryGetUsers(out IReadOnlyDictionary<string, string> users, out string? error, out bool changed)
    {
        lock (_lock)
        {
            var stamp = Stamp();
            bool racy = _stamp.Exists && _loadedAt - _stamp.Modified < RacyWindow;
            changed = false;
            if (!_loaded || stamp != _stamp || racy)
            {
                var (oldUsers, oldError, first) = (_users, _error, !_loaded);
                Load(stamp);
                changed = first || _error != oldError || !SameUsers(oldUsers, _users);
            }
            users = _users ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>();
            error = _error;
            return _users is not null;
        }
    }

    private static bool SameUsers(Dictionary<string, string>? a, Dictionary<string, string>? b)
    {
        if (a is null || b is null) return a == b;
        if (a.Count != b.Count) return false;
        foreach (var (user, password) in a)
            if (!b.TryGetValue(user, out var other) || other != password) return false;
        return true;
    }

    private (bool, long, DateTime) Stamp()
    {
        try
        {
            var info = new FileInfo(Path);
            return info.Exists ? (true, info.Length, info.LastWriteTimeUtc) : (false, 0, default);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return (false, 0, default);
        }
    }

    private void Load((bool Exists, long Length, DateTime Modified) stamp)
    {
        _loaded = true;
        _loadedAt = DateTime.UtcNow;
        _stamp = stamp;
        try
        {
            _users = Parse(File.ReadAllText(Path, Encoding.UTF8));
            _error = null;
        }
        catch (FileNotFoundException)
        {
            (_users, _error) = (null, $"password file {Path} not found");
        }
        catch (DirectoryNotFoundException)
        {
            (_users, _error) = (null, $"password file {Path} not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            (_users, _error) = (null, $"password file {Path} unreadable: {e.Message}");
        }
    }

    /// <summary>Parses the text of a password file (zhashx_load's rules).</summary>
    public static Dictionary<string, string> Parse(string text)
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.EndsWith('\r') ? raw[..^1] : raw;
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || equals <= 0) continue;
            users[line[..equals]] = line[(equals + 1)..];
        }
        return users;
    }
}
