using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zmq.Toolkit;

namespace Zmq.Hosting;

/// <summary>
/// Owns what the host's Zmq registrations create: the authenticator, the named sockets and the
/// actors, all in the host's <see cref="Context"/>; closes them within a time budget.
/// </summary>
internal sealed class ZmqRuntime : IZmqSockets, IDisposable
{
    private readonly ZmqRegistry _registry;
    private readonly IOptionsMonitor<ZmqSocketOptions> _socketOptions;
    private readonly IOptions<ZmqOptions> _options;
    private readonly IOptions<HostOptions> _hostOptions;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly Lock _actorLock = new();
    private readonly List<(string Name, Socket Socket)> _sockets = [];
    private readonly List<(string Name, Actor Actor)> _actors = [];
    private Authenticator? _authenticator;
    private bool _authenticatorStarted;
    private volatile bool _shutdown;

    public ZmqRuntime(ZmqRegistry registry, Context context, IOptionsMonitor<ZmqSocketOptions> socketOptions, IOptions<ZmqOptions> options,
        IOptions<HostOptions> hostOptions, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        _registry = registry;
        Context = context;
        _socketOptions = socketOptions;
        _options = options;
        _hostOptions = hostOptions;
        _services = services;
        _loggerFactory = loggerFactory;
        _log = loggerFactory.CreateLogger("Zmq.Hosting");
    }

    public Context Context { get; }

    public IReadOnlyList<string> Names => [.. _registry.Sockets.Select(s => s.Name)];

    public Socket Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            if (_shutdown) throw new InvalidOperationException($"the host has stopped: Zmq socket '{name}' is closed");
            foreach (var (n, s) in _sockets)
                if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return s;
            var registration = _registry.Find(name)
                ?? throw new InvalidOperationException($"no Zmq socket named '{name}' is registered (registered: {(_registry.Sockets.Count == 0 ? "none" : string.Join(", ", _registry.Sockets.Select(r => r.Name)))}); add it under Zmq:Sockets or with AddZmqSocket");
            EnsureAuthenticator();
            var options = _socketOptions.Get(registration.Name); // validated: throws OptionsValidationException naming every problem
            var socket = Create(registration.Name, options);
            _sockets.Add((registration.Name, socket));
            return socket;
        }
    }

    public T Get<T>(string name) where T : Socket
    {
        var socket = Get(name);
        return socket as T ?? throw new InvalidOperationException($"Zmq socket '{name}' is a {socket.Type.ToString().ToUpperInvariant()} socket ({socket.GetType().Name}), not a {typeof(T).Name}");
    }

    public Actor GetActor(string name)
    {
        lock (_actorLock)
        {
            if (_shutdown) throw new InvalidOperationException($"the host has stopped: Zmq actor '{name}' has ended");
            foreach (var (n, a) in _actors)
                if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return a;
            var registration = _registry.FindActor(name) ?? throw new InvalidOperationException($"no Zmq actor named '{name}' is registered");
            lock (_lock) EnsureAuthenticator();
            var handler = registration.Handler(_services);
            var actor = new Actor(handler, Context, _loggerFactory.CreateLogger("Zmq.Toolkit.Actor"));
            if (registration.TerminateTimeout is { } t) actor.TerminateTimeout = t;
            _actors.Add((registration.Name, actor));
            HostingLog.ActorStarted(_log, registration.Name);
            return actor;
        }
    }

    /// <summary>Creates every registered socket and actor not yet created (the host is starting).</summary>
    public void StartAll()
    {
        lock (_lock) EnsureAuthenticator();
        foreach (var r in _registry.Sockets) Get(r.Name);
        foreach (var a in _registry.Actors) GetActor(a.Name);
    }

    private Socket Create(string name, ZmqSocketOptions o)
    {
        var type = o.Type ?? throw new InvalidOperationException($"Zmq socket '{name}' has no Type");
        var errors = new List<string>();
        var socket = SocketBuilder.Create(type, Context, s =>
        {
            SocketBuilder.Apply(s, name, o, errors);
            if (errors.Count > 0) throw new OptionsValidationException(name, typeof(ZmqSocketOptions), errors);
        });
        var attached = new List<string>();
        foreach (var entry in o.Endpoints)
        {
            foreach (var endpoint in entry.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                try
                {
                    socket.Attach(endpoint);
                }
                catch (ZmqException e)
                {
                    socket.Linger = TimeSpan.Zero;
                    socket.Dispose();
                    throw new InvalidOperationException($"{SocketBuilder.Where(name, o, "Endpoints")}: cannot attach {endpoint}: {e.Message}", e);
                }
                attached.Add(socket.LastEndpoint is { } last && endpoint.StartsWith('@') ? "@" + last : socket.LastEndpoint ?? endpoint);
            }
        }
        HostingLog.SocketCreated(_log, name, type.ToString().ToUpperInvariant(), attached.Count == 0 ? "no endpoints" : string.Join(", ", attached));
        return socket;
    }

    /// <summary>Creates the authenticator, once, before the first socket: no server socket may run without it.</summary>
    private void EnsureAuthenticator()
    {
        if (_authenticatorStarted) return;
        _authenticatorStarted = true;
        var a = _options.Value.Authenticator;
        if (!a.IsEnabled) return;
        var auth = new Authenticator(Context);
        try
        {
            var rules = new List<string>();
            if (a.Allow.Count > 0)
            {
                auth.Allow([.. a.Allow]);
                rules.Add("allow " + string.Join(", ", a.Allow));
            }
            if (a.Deny.Count > 0)
            {
                auth.Deny([.. a.Deny]);
                rules.Add("deny " + string.Join(", ", a.Deny));
            }
            if (a.CurveCertificates is { } certs)
            {
                if (certs == "*") auth.ConfigureCurveAllowAny();
                else auth.ConfigureCurve(certs);
                rules.Add("CURVE " + (certs == "*" ? "any key" : "certificates in " + certs));
            }
            if (a.PlainPasswords is { } passwords)
            {
                if (passwords == "*") auth.ConfigurePlainAllowAny();
                else auth.ConfigurePlain(passwords);
                rules.Add("PLAIN " + (passwords == "*" ? "any user" : "users in " + passwords));
            }
            a.Configure?.Invoke(auth);
            if (a.Configure is not null) rules.Add("custom configuration");
            HostingLog.AuthenticatorStarted(_log, rules.Count == 0 ? "NULL peers only" : string.Join("; ", rules));
        }
        catch
        {
            auth.Dispose();
            throw;
        }
        _authenticator = auth;
    }

    /// <summary>
    /// Ends the actors, closes the sockets and the context, all within <paramref name="budget"/>:
    /// each socket's linger is honoured up to what the budget has left and cut to that beyond it
    /// (the core logs and counts what a cut linger drops).
    /// </summary>
    public void Shutdown(TimeSpan budget)
    {
        (string Name, Socket Socket)[] sockets;
        (string Name, Actor Actor)[] actors;
        lock (_lock)
        {
            lock (_actorLock)
            {
                if (_shutdown) return;
                _shutdown = true;
                sockets = [.. _sockets];
                actors = [.. _actors];
            }
        }
        var clock = Stopwatch.StartNew();
        bool bounded = budget != Timeout.InfiniteTimeSpan;
        TimeSpan Left() => bounded ? TimeSpan.FromTicks(Math.Max(0, (budget - clock.Elapsed).Ticks)) : Timeout.InfiniteTimeSpan;

        for (int i = actors.Length - 1; i >= 0; i--)
        {
            var actor = actors[i].Actor;
            if (bounded && actor.TerminateTimeout > Left()) actor.TerminateTimeout = Left();
            actor.Dispose();
        }
        for (int i = sockets.Length - 1; i >= 0; i--)
        {
            var (name, socket) = sockets[i];
            if (socket.IsDisposed) continue;
            var left = Left();
            var linger = socket.Linger;
            if (bounded && (linger == Timeout.InfiniteTimeSpan || linger > left))
            {
                // Whole milliseconds, rounded down, so the cut never overshoots the budget.
                var cut = TimeSpan.FromMilliseconds(Math.Floor(left.TotalMilliseconds));
                HostingLog.LingerCut(_log, name, linger == Timeout.InfiniteTimeSpan ? "infinite" : $"{linger.TotalMilliseconds:0} ms", (int)cut.TotalMilliseconds);
                socket.Linger = cut;
            }
            socket.Dispose();
        }
        _authenticator?.Dispose();
        // Sockets the application made itself in this context close here, with their own linger.
        Context.Dispose();
        HostingLog.Closed(_log, sockets.Length, actors.Length, clock.ElapsedMilliseconds);
    }

    /// <summary>Disposed by the container without a host stop: closes within the host's shutdown timeout all the same.</summary>
    public void Dispose() => Shutdown(_hostOptions.Value.ShutdownTimeout);
}
