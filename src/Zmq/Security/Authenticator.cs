using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Zmq;

/// <summary>
/// A ZAP handler (RFC 27) with CZMQ zauth's rules: it binds a ROUTER at <see cref="Zap.Endpoint"/> in
/// its context and answers, on a background thread, every ZAP request that server sockets of that
/// context send when a peer connects over tcp or ipc.
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
/// <para>An accepted PLAIN peer's User-Id is its user name; an accepted CURVE peer's is its public key
/// in Z85, and the metadata of its certificate (when found in a store) goes into the reply. Every
/// decision is logged at Information level (category <c>Zmq.Authenticator</c>) through the context's
/// <see cref="Context.LoggerFactory"/>: mechanism, address, user or key (never the password), and why.</para>
/// <para>The configuration methods may be called at any time, from any thread; a request uses the
/// configuration in force when it arrives. Only one handler can be bound in a context at a time.</para>
/// </remarks>
public sealed class Authenticator : IDisposable, IAsyncDisposable
{
    private const string Category = "Zmq.Authenticator";
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly RouterSocket _router;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly HashSet<string> _allow = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deny = new(StringComparer.Ordinal);
    private PlainConfig? _plain;
    private CurveConfig? _curve;
    private volatile Func<ZapRequest, ZapReply?>? _custom;
    private volatile LoggerHolder? _logger;
    private volatile bool _stopping;
    private int _disposed;
    private long _allowed;
    private long _denied;

    private sealed record PlainConfig(bool AllowAny, IReadOnlyDictionary<string, string>? Users, PasswordFile? File);

    private sealed record CurveConfig(bool AllowAny, CertificateStore? Store);

    private sealed record LoggerHolder(ILoggerFactory Factory, ILogger Logger);

    /// <summary>
    /// Binds the handler at <see cref="Zap.Endpoint"/> in <paramref name="context"/> (default
    /// <see cref="Context.Default"/>) and starts serving requests. Returns once bound. Until configured,
    /// only NULL peers are allowed.
    /// </summary>
    /// <exception cref="ZmqException">A ZAP handler is already bound in this context (<see cref="ZmqError.AddressInUse"/>).</exception>
    public Authenticator(Context? context = null)
    {
        Context = context ?? Context.Default;
        var router = new RouterSocket(context: Context) { Linger = TimeSpan.Zero };
        try
        {
            router.Bind(Zap.Endpoint);
        }
        catch (ZmqException e)
        {
            router.Dispose();
            if (e.Error == ZmqError.AddressInUse)
                throw new ZmqException(e.Error, "a ZAP handler is already bound in this context (dispose it first)", SocketType.Router, Zap.Endpoint, e);
            throw;
        }
        _router = router;
        _thread = new Thread(Run) { IsBackground = true, Name = "Zmq ZAP handler" };
        _thread.Start();
    }

    /// <summary>The context whose server sockets this handler answers.</summary>
    public Context Context { get; }

    /// <summary>How many requests were answered with 200 (allowed).</summary>
    public long Allowed => Interlocked.Read(ref _allowed);

    /// <summary>How many requests were refused: answered with 300, 400 or 500, or malformed beyond an answer.</summary>
    public long Denied => Interlocked.Read(ref _denied);

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

    /// <summary>Stops the handler thread (waiting a few seconds at most) and unbinds, so a new handler can bind in the context. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (!BeginStop()) return;
        if (Thread.CurrentThread != _thread) _thread.Join(StopWait);
    }

    /// <summary>As <see cref="Dispose"/>, waiting for the handler thread without blocking the caller's thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!BeginStop()) return;
        if (Thread.CurrentThread == _thread) return;
        try
        {
            await _stopped.Task.WaitAsync(StopWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A Custom hook that never returns: the thread is a background thread and stops serving anyway.
        }
    }

    private bool BeginStop()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return false;
        _stopping = true;
        _router.Dispose(); // unbinds at once and wakes the thread's receive
        return true;
    }

    private ILogger Logger
    {
        get
        {
            var factory = Context.LoggerFactory;
            var holder = _logger;
            if (holder is null || !ReferenceEquals(holder.Factory, factory))
                _logger = holder = new LoggerHolder(factory, factory.CreateLogger(Category));
            return holder.Logger;
        }
    }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                Message? message;
                try
                {
                    if (!_router.TryReceive(PollInterval, out message)) continue;
                }
                catch (ZmqException) when (_stopping || _router.IsDisposed)
                {
                    break;
                }
                byte[][] frames;
                using (message) frames = message.ToArrays();
                var reply = Handle(frames);
                if (reply is null) continue;
                try
                {
                    _router.SendFrames(reply);
                }
                catch (ZmqException) when (_stopping || _router.IsDisposed)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            AuthenticatorLog.ThreadFailed(Logger, e);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>The reply (with the ROUTER envelope) to one received message, or null when none can be sent.</summary>
    private byte[][]? Handle(byte[][] frames)
    {
        // The envelope is the routing id(s) up to and including the empty delimiter.
        int delimiter = Array.FindIndex(frames, 1, f => f.Length == 0);
        int bodyStart = delimiter >= 0 ? delimiter + 1 : Math.Min(1, frames.Length);
        var envelope = frames[..bodyStart];
        var body = frames[bodyStart..];

        ZapReply reply;
        byte[] requestId;
        if (!ZapRequest.TryParse(body, out var request, out var error))
        {
            Interlocked.Increment(ref _denied);
            if (body.Length < 2)
            {
                AuthenticatorLog.Malformed(Logger, error!, "it has no request id, so no reply");
                return null;
            }
            AuthenticatorLog.Malformed(Logger, error!, "replied 500");
            reply = new ZapReply { StatusCode = Zap.InternalError, StatusText = "malformed ZAP request: " + error };
            requestId = body[1];
        }
        else
        {
            requestId = request!.RequestId;
            reply = Decide(request);
        }

        byte[][] replyFrames;
        try
        {
            replyFrames = reply.ToFrames(requestId);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            // e.g. metadata from a Custom hook that ZMTP cannot carry
            AuthenticatorLog.HandlerFailed(Logger, e, request?.Mechanism ?? "?", request?.Address ?? "?");
            replyFrames = new ZapReply { StatusCode = Zap.InternalError, StatusText = "internal error: " + e.Message }.ToFrames(requestId);
        }
        return [.. envelope, .. replyFrames];
    }

    private ZapReply Decide(ZapRequest request)
    {
        ZapReply reply;
        string reason;
        try
        {
            (reply, reason) = _custom is { } hook && hook(request) is { } custom ? FromCustom(custom) : Rules(request);
        }
        catch (Exception e)
        {
            AuthenticatorLog.HandlerFailed(Logger, e, request.Mechanism, request.Address);
            reason = "internal error: " + e.Message;
            reply = new ZapReply { StatusCode = Zap.InternalError, StatusText = reason };
        }

        string who = request.Mechanism switch
        {
            "PLAIN" => $" user '{request.Username}'",
            "CURVE" => $" key {Z85.Encode(request.ClientKey)}",
            _ => "",
        };
        if (reply.StatusCode == Zap.Success)
        {
            Interlocked.Increment(ref _allowed);
            AuthenticatorLog.Allowed(Logger, request.Mechanism, request.Address, request.Domain, who, reason);
        }
        else
        {
            Interlocked.Increment(ref _denied);
            AuthenticatorLog.Denied(Logger, request.Mechanism, request.Address, request.Domain, who, reply.StatusCode, reason);
        }
        return reply;
    }

    private static (ZapReply, string) FromCustom(ZapReply custom)
    {
        if (custom.StatusCode is Zap.Success or Zap.TemporaryError or Zap.AuthenticationFailure or Zap.InternalError)
            return (custom, "custom handler: " + custom.StatusText);
        string reason = $"the custom handler returned status {custom.StatusCode}, not 200, 300, 400 or 500";
        return (new ZapReply { StatusCode = Zap.InternalError, StatusText = reason }, reason);
    }

    private (ZapReply, string) Rules(ZapRequest request)
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
