using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zmq;

/// <summary>
/// CZMQ zauth's rules, apart from the ZAP handler that applies them (<see cref="Authenticator"/>):
/// addresses allowed or denied, PLAIN users (in memory or a password file), CURVE certificates (any
/// key, or a <see cref="CertificateStore"/>) and an optional <see cref="Custom"/> hook.
/// <see cref="Decide"/> is the whole decision for one request, usable without a socket (tests, a
/// handler of one's own). Configuration may change at any time, from any thread; each decision
/// uses the configuration in force when it starts.
/// </summary>
/// <remarks>
/// <para>The rules, in order (as zauth's):</para>
/// <list type="number">
/// <item><see cref="Custom"/>, when set and it returns a reply, decides alone.</item>
/// <item>Address check: when any <see cref="Allow"/> address is configured, only those addresses pass
/// and every other is denied; otherwise the <see cref="Deny"/> addresses are denied.</item>
/// <item>Then, unless denied: NULL is allowed; PLAIN must authenticate (even from an allowed address)
/// against the configured users; CURVE must authenticate (even from an allowed address) against the
/// configured certificates; any other mechanism is denied.</item>
/// </list>
/// </remarks>
public sealed class AuthRules
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _allow = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deny = new(StringComparer.Ordinal);
    private PlainConfig? _plain;
    private CurveConfig? _curve;
    private volatile Func<ZapRequest, ZapReply?>? _custom;
    private volatile Func<ILogger>? _logger;

    private sealed record PlainConfig(bool AllowAny, IReadOnlyDictionary<string, string>? Users, PasswordFile? File);

    private sealed record CurveConfig(bool AllowAny, CertificateStore? Store);

    /// <summary>
    /// A hook asked first for every well-formed request: a reply decides (its status must be 200,
    /// 300, 400 or 500, else 500 is sent); null falls through to the rules. It runs on the handler
    /// thread, so it must be quick; if it throws, the request gets 500.
    /// </summary>
    public Func<ZapRequest, ZapReply?>? Custom
    {
        get => _custom;
        set => _custom = value;
    }

    /// <summary>Where configuration changes and password-file reloads are logged: the first handler's context logger.</summary>
    internal void AttachLogger(Func<ILogger> logger) => _logger ??= logger;

    private ILogger Logger => _logger?.Invoke() ?? NullLogger.Instance;

    /// <summary>
    /// Adds addresses (IP addresses as text, exactly as the peer's address is reported) to the allow
    /// list, as zauth's ALLOW. Once the list has any address, only listed addresses pass the address
    /// check and all others are denied (the deny list is then ignored).
    /// </summary>
    public void Allow(params string[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (var a in addresses) ArgumentNullException.ThrowIfNull(a, nameof(addresses));
        lock (_gate) _allow.UnionWith(addresses);
        if (addresses.Length > 0) AuthenticatorLog.Configured(Logger, "allowing address(es) " + string.Join(", ", addresses));
    }

    /// <summary>
    /// Adds addresses to the deny list, as zauth's DENY: peers from them are denied, whatever the
    /// mechanism. Ignored while the allow list has any address.
    /// </summary>
    public void Deny(params string[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (var a in addresses) ArgumentNullException.ThrowIfNull(a, nameof(addresses));
        lock (_gate) _deny.UnionWith(addresses);
        if (addresses.Length > 0) AuthenticatorLog.Configured(Logger, "denying address(es) " + string.Join(", ", addresses));
    }

    /// <summary>
    /// PLAIN peers authenticate against a password file, as zauth's PLAIN: one <c>user=password</c> per
    /// line, split at the first <c>=</c>; blank lines, lines without <c>=</c> and lines starting with
    /// <c>#</c> are ignored; nothing is trimmed. The file is read again whenever it changes. While it is
    /// missing or unreadable every PLAIN peer is denied (and the reason logged). Replaces any earlier
    /// PLAIN configuration.
    /// </summary>
    public void ConfigurePlain(string passwordFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordFile);
        var file = new PasswordFile(Path.GetFullPath(passwordFile));
        LogPasswordFile(file);
        lock (_gate) _plain = new PlainConfig(false, null, file);
    }

    /// <summary>PLAIN peers authenticate against these user names and passwords (copied). Replaces any earlier PLAIN configuration.</summary>
    public void ConfigurePlain(IReadOnlyDictionary<string, string> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (user, password) in users) copy[user] = password;
        lock (_gate) _plain = new PlainConfig(false, copy, null);
        AuthenticatorLog.Configured(Logger, $"PLAIN: {copy.Count} user(s) in memory");
    }

    /// <summary>PLAIN peers are accepted with any user name and password (User-Id = the user name). Replaces any earlier PLAIN configuration.</summary>
    public void ConfigurePlainAllowAny()
    {
        lock (_gate) _plain = new PlainConfig(true, null, null);
        AuthenticatorLog.Configured(Logger, "PLAIN: any user name and password allowed");
    }

    /// <summary>CURVE peers are accepted with any client key, as zauth's <c>CURVE_ALLOW_ANY</c>. Replaces any earlier CURVE configuration.</summary>
    public void ConfigureCurveAllowAny()
    {
        lock (_gate) _curve = new CurveConfig(true, null);
        AuthenticatorLog.Configured(Logger, "CURVE: any client key allowed");
    }

    /// <summary>
    /// CURVE peers are accepted when their public key has a certificate in <paramref name="certificateDirectory"/>
    /// (a <see cref="CertificateStore"/>, re-read when the directory changes; a missing directory is an
    /// empty store until it appears). Replaces any earlier CURVE configuration.
    /// </summary>
    public void ConfigureCurve(string certificateDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificateDirectory);
        ConfigureCurve(new CertificateStore(certificateDirectory));
    }

    /// <summary>CURVE peers are accepted when their public key is in <paramref name="store"/>. Replaces any earlier CURVE configuration.</summary>
    public void ConfigureCurve(CertificateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        lock (_gate) _curve = new CurveConfig(false, store);
        AuthenticatorLog.Configured(Logger, store.Directory is { } dir ? $"CURVE: trusted certificates in {dir}" : "CURVE: trusted certificates in memory");
    }

    /// <summary>
    /// The decision for one well-formed request, and why (for the log): <see cref="Custom"/> first,
    /// then the address lists, then the mechanism's check. An exception of the hook propagates
    /// (<see cref="Authenticator"/> answers it with 500 and logs it).
    /// </summary>
    public (ZapReply Reply, string Reason) Decide(ZapRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _custom is { } hook && hook(request) is { } custom ? FromCustom(custom) : Apply(request);
    }

    private static (ZapReply, string) FromCustom(ZapReply custom)
    {
        if (custom.StatusCode is Zap.Success or Zap.TemporaryError or Zap.AuthenticationFailure or Zap.InternalError)
            return (custom, "custom handler: " + custom.StatusText);
        string reason = $"the custom handler returned status {custom.StatusCode}, not 200, 300, 400 or 500";
        return (new ZapReply { StatusCode = Zap.InternalError, StatusText = reason }, reason);
    }

    private (ZapReply, string) Apply(ZapRequest request)
    {
        bool listed;
        PlainConfig? plain;
        CurveConfig? curve;
        lock (_gate)
        {
            listed = _allow.Count > 0;
            if (listed && !_allow.Contains(request.Address)) return Refuse("address not in allow list");
            if (!listed && _deny.Contains(request.Address)) return Refuse("address denied");
            plain = _plain;
            curve = _curve;
        }
        return request.Mechanism switch
        {
            "NULL" => Accept(listed ? "NULL, address in allow list" : "NULL"),
            "PLAIN" => Plain(request, plain),
            "CURVE" => Curve(request, curve),
            _ => Refuse($"mechanism {request.Mechanism} not supported"),
        };
    }

    private (ZapReply, string) Plain(ZapRequest request, PlainConfig? plain)
    {
        if (plain is null) return Refuse("PLAIN not configured");
        string user = request.Username ?? "";
        if (plain.AllowAny) return Accept("any user and password allowed", user);
        IReadOnlyDictionary<string, string> users;
        if (plain.File is { } file)
        {
            if (!LogPasswordFile(file, out users, out var error)) return Refuse(error!);
        }
        else users = plain.Users!;
        if (users.TryGetValue(user, out var expected)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(request.Password ?? "")))
            return Accept("password correct", user);
        return Refuse("no such user or wrong password");
    }

    private static (ZapReply, string) Curve(ZapRequest request, CurveConfig? curve)
    {
        if (curve is null) return Refuse("CURVE not configured");
        string key = Z85.Encode(request.ClientKey);
        if (curve.AllowAny) return Accept("any client key allowed", key);
        var cert = curve.Store!.Lookup(key);
        if (cert is null) return Refuse("client key not trusted");
        var metadata = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, value) in cert.Metadata) metadata[name] = Encoding.UTF8.GetBytes(value);
        return (new ZapReply { StatusCode = Zap.Success, StatusText = "OK", UserId = key, Metadata = metadata }, "client key trusted");
    }

    private static (ZapReply, string) Accept(string reason, string userId = "") =>
        (new ZapReply { StatusCode = Zap.Success, StatusText = "OK", UserId = userId }, reason);

    private static (ZapReply, string) Refuse(string reason) =>
        (new ZapReply { StatusCode = Zap.AuthenticationFailure, StatusText = reason }, reason);

    private void LogPasswordFile(PasswordFile file) => LogPasswordFile(file, out _, out _);

    /// <summary>The file's users (read again if it changed), logging when what it holds changed.</summary>
    private bool LogPasswordFile(PasswordFile file, out IReadOnlyDictionary<string, string> users, out string? error)
    {
        bool ok = file.TryGetUsers(out users, out error, out bool changed);
        if (changed)
        {
            if (ok) AuthenticatorLog.PasswordFileLoaded(Logger, file.Path, users.Count);
            else AuthenticatorLog.PasswordFileUnavailable(Logger, error!);
        }
        return ok;
    }
}
