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
    private volatile LoggerHolder? _logger;
    private volatile bool _stopping;
    private int _disposed;
    private long _allowed;
    private long _denied;

    private sealed record LoggerHolder(ILoggerFactory Factory, ILogger Logger);

    /// <summary>
    /// Binds the handler at <see cref="Zap.Endpoint"/> in <paramref name="context"/> (default
    /// <see cref="Context.Default"/>) and starts serving requests. Returns once bound. Until configured,
    /// only NULL peers are allowed.
    /// </summary>
    /// <exception cref="ZmqException">A ZAP handler is already bound in this context (<see cref="ZmqError.AddressInUse"/>).</exception>
    public Authenticator(Context? context = null) : this(null, context) { }

    /// <summary>
    /// As <see cref="Authenticator(Context?)"/>, applying <paramref name="rules"/> (shared with other
    /// handlers if wanted: e.g. one per context, each side of a proxy its own); a new, empty set when null.
    /// </summary>
    public Authenticator(AuthRules? rules, Context? context = null)
    {
        Context = context ?? Context.Default;
        Rules = rules ?? new AuthRules();
        Rules.AttachLogger(() => Logger);
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

    /// <summary>The rules this handler applies (zauth's ALLOW, DENY, PLAIN, CURVE); the configuration methods below are shortcuts to them.</summary>
    public AuthRules Rules { get; }

    /// <inheritdoc cref="AuthRules.Custom"/>
    public Func<ZapRequest, ZapReply?>? Custom
    {
        get => Rules.Custom;
        set => Rules.Custom = value;
    }

    /// <inheritdoc cref="AuthRules.Allow"/>
    public void Allow(params string[] addresses) => Rules.Allow(addresses);

    /// <inheritdoc cref="AuthRules.Deny"/>
    public void Deny(params string[] addresses) => Rules.Deny(addresses);

    /// <inheritdoc cref="AuthRules.ConfigurePlain(string)"/>
    public void ConfigurePlain(string passwordFile) => Rules.ConfigurePlain(passwordFile);

    /// <inheritdoc cref="AuthRules.ConfigurePlain(IReadOnlyDictionary{string, string})"/>
    public void ConfigurePlain(IReadOnlyDictionary<string, string> users) => Rules.ConfigurePlain(users);

    /// <inheritdoc cref="AuthRules.ConfigurePlainAllowAny"/>
    public void ConfigurePlainAllowAny() => Rules.ConfigurePlainAllowAny();

    /// <inheritdoc cref="AuthRules.ConfigureCurveAllowAny"/>
    public void ConfigureCurveAllowAny() => Rules.ConfigureCurveAllowAny();

    /// <inheritdoc cref="AuthRules.ConfigureCurve(string)"/>
    public void ConfigureCurve(string certificateDirectory) => Rules.ConfigureCurve(certificateDirectory);

    /// <inheritdoc cref="AuthRules.ConfigureCurve(CertificateStore)"/>
    public void ConfigureCurve(CertificateStore store) => Rules.ConfigureCurve(store);

    /// <summary>How many requests were answered with 200 (allowed).</summary>
    public long Allowed => Interlocked.Read(ref _allowed);

    /// <summary>How many requests were refused: answered with 300, 400 or 500, or malformed beyond an answer.</summary>
    public long Denied => Interlocked.Read(ref _denied);


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
            (reply, reason) = Rules.Decide(request);
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


}
