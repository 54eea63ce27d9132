using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Zmq;
using Zmq.Hosting;
using Zmq.Toolkit;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers ZeroMQ sockets, workers and actors with a host (Microsoft.Extensions.Hosting): a
/// <see cref="Context"/> singleton whose logs go to the host's <see cref="ILoggerFactory"/>, named
/// sockets bound from configuration and/or code, checked at start, created before the hosted
/// services start and closed after they stop, within the host's shutdown timeout.
/// </summary>
public static class ZmqServiceCollectionExtensions
{
    /// <summary>
    /// Adds the host's Zmq services: the <see cref="Context"/> (disposed at shutdown),
    /// <see cref="IZmqSockets"/> and the hosted service that starts and closes them. Idempotent;
    /// the other <c>AddZmq*</c> methods call it.
    /// </summary>
    public static IServiceCollection AddZmq(this IServiceCollection services, Action<ZmqOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        Core(services);
        if (configure is not null) services.Configure(configure);
        return services;
    }

    /// <summary>
    /// As <see cref="AddZmq(IServiceCollection, Action{ZmqOptions}?)"/>, bound from
    /// <paramref name="configuration"/> (e.g. <c>builder.Configuration.GetSection("Zmq")</c>): its
    /// <c>IoThreads</c>, <c>Authenticator</c>, and one socket per section under <c>Sockets</c>,
    /// each a keyed service under its name. Unknown keys and values that do not parse fail the
    /// host's start with the path and the value (docs/hosting.md lists every key).
    /// </summary>
    public static IServiceCollection AddZmq(this IServiceCollection services, IConfiguration configuration, Action<ZmqOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var registry = Core(services);
        services.AddSingleton<IConfigureOptions<ZmqOptions>>(new ConfigureOptions<ZmqOptions>(o => RootConfigReader.Read(configuration, o)));
        foreach (var section in configuration.GetSection("Sockets").GetChildren())
        {
            if (!section.GetChildren().Any()) continue; // a value, not a socket: the root reader reports it
            Type? clr = Enum.TryParse<SocketType>(section["Type"], ignoreCase: true, out var t) && Enum.IsDefined(t) ? SocketBuilder.ClrType(t) : null;
            var registration = RegisterSocket(services, registry, section.Key, clr, asked: false);
            services.AddSingleton<IConfigureOptions<ZmqSocketOptions>>(new ConfigureNamedOptions<ZmqSocketOptions>(registration.Name, o => SocketConfigReader.Read(section, o)));
        }
        if (configure is not null) services.Configure(configure);
        return services;
    }

    /// <summary>
    /// Registers the socket <paramref name="name"/> of class <typeparamref name="TSocket"/>, a keyed
    /// service under that name (as <typeparamref name="TSocket"/> and as <see cref="Socket"/>).
    /// <paramref name="configure"/> runs after any configuration of the same name
    /// (<c>Zmq:Sockets:NAME</c>). Options are checked when the host starts.
    /// </summary>
    /// <example><c>services.AddZmqSocket&lt;PullSocket&gt;("jobs", o =&gt; { o.Endpoints.Add("@tcp://*:5557"); o.ReceiveHighWatermark = 10_000; });</c></example>
    public static IServiceCollection AddZmqSocket<TSocket>(this IServiceCollection services, string name, Action<ZmqSocketOptions>? configure = null)
        where TSocket : Socket
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var registration = RegisterSocket(services, Core(services), name, typeof(TSocket), asked: true);
        if (SocketBuilder.TypeOf(typeof(TSocket)) is { } type)
            services.Configure<ZmqSocketOptions>(registration.Name, o => o.Type ??= type);
        if (configure is not null) services.Configure(registration.Name, configure);
        return services;
    }

    /// <summary>
    /// As <see cref="AddZmqSocket{TSocket}(IServiceCollection, string, Action{ZmqSocketOptions}?)"/>,
    /// bound from <paramref name="configuration"/> (a section with the keys of <c>Zmq:Sockets:NAME</c>),
    /// then <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddZmqSocket<TSocket>(this IServiceCollection services, string name, IConfiguration configuration, Action<ZmqSocketOptions>? configure = null)
        where TSocket : Socket
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddZmqSocket<TSocket>(name);
        var registration = Core(services).Find(name)!;
        services.AddSingleton<IConfigureOptions<ZmqSocketOptions>>(new ConfigureNamedOptions<ZmqSocketOptions>(registration.Name, o => SocketConfigReader.Read(configuration, o)));
        if (configure is not null) services.Configure(registration.Name, configure);
        return services;
    }

    /// <summary>
    /// Adds a hosted <see cref="ZmqWorker"/> that hands every message received on the socket
    /// <paramref name="socketName"/> to <paramref name="handler"/> (with the socket, to reply, and
    /// the host's stopping token) until the host stops.
    /// </summary>
    /// <example><c>services.AddZmqWorker("requests", (request, socket, ct) =&gt; socket.SendAsync(request, ct));</c></example>
    public static IServiceCollection AddZmqWorker(this IServiceCollection services, string socketName, Func<Message, Socket, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(socketName);
        ArgumentNullException.ThrowIfNull(handler);
        Core(services);
        // Added, not TryAdded: every worker is its own hosted service (AddHostedService would keep one per class).
        services.AddSingleton<IHostedService>(sp => new DelegateZmqWorker(sp.GetRequiredService<IZmqSockets>().Get(socketName), handler));
        return services;
    }

    /// <summary>
    /// Adds a hosted <see cref="Zmq.Toolkit.Proxy"/> (zmq_proxy) between the sockets named
    /// <paramref name="frontend"/> and <paramref name="backend"/> (registered with AddZmqSocket or
    /// under <c>Zmq:Sockets</c>), copying every message to <paramref name="capture"/> when named:
    /// it runs on a thread of its own from the host's start until it stops.
    /// </summary>
    /// <example><c>services.AddZmqProxy("clients", "workers");</c> with a ROUTER "clients" and a DEALER "workers" in configuration.</example>
    public static IServiceCollection AddZmqProxy(this IServiceCollection services, string frontend, string backend, string? capture = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(frontend);
        ArgumentException.ThrowIfNullOrWhiteSpace(backend);
        Core(services);
        services.AddSingleton<IHostedService>(sp => new ZmqProxyService(
            sp.GetRequiredService<IZmqSockets>(), frontend, backend, capture,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Zmq.Proxy")));
        return services;
    }

    /// <summary>
    /// Adds a hosted <see cref="Actor"/> (CZMQ's zactor) named <paramref name="name"/>: started when the
    /// host starts (in the host's context, logging to the host's logger), a keyed service under its name,
    /// ended at shutdown within the host's shutdown timeout (and at most <paramref name="terminateTimeout"/>).
    /// </summary>
    public static IServiceCollection AddZmqActor(this IServiceCollection services, string name, Action<PairSocket> handler, TimeSpan? terminateTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return services.AddZmqActor(name, _ => handler, terminateTimeout);
    }

    /// <summary>As <see cref="AddZmqActor(IServiceCollection, string, Action{PairSocket}, TimeSpan?)"/>, the handler made from the host's services when the actor starts.</summary>
    public static IServiceCollection AddZmqActor(this IServiceCollection services, string name, Func<IServiceProvider, Action<PairSocket>> handlerFactory, TimeSpan? terminateTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handlerFactory);
        Core(services).AddActor(new ActorRegistration(name, handlerFactory, terminateTimeout));
        services.AddKeyedSingleton<Actor>(name, (sp, _) => sp.GetRequiredService<ZmqRuntime>().GetActor(name));
        return services;
    }

    /// <summary>
    /// Adds the host's ZAP authenticator (CZMQ zauth's rules), created before the first socket;
    /// <paramref name="configure"/> sets its rules (also configurable under <c>Zmq:Authenticator</c>).
    /// </summary>
    public static IServiceCollection AddZmqAuthenticator(this IServiceCollection services, Action<ZmqAuthenticatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        Core(services);
        services.Configure<ZmqOptions>(o =>
        {
            o.Authenticator.Enabled = true;
            configure?.Invoke(o.Authenticator);
        });
        return services;
    }

    private static ZmqRegistry Core(IServiceCollection services)
    {
        foreach (var d in services)
            if (d.ServiceType == typeof(ZmqRegistry) && !d.IsKeyedService && d.ImplementationInstance is ZmqRegistry existing)
                return existing;
        var registry = new ZmqRegistry();
        services.AddSingleton(registry);
        services.AddOptions();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ZmqOptions>>().Value;
            var context = new Context { LoggerFactory = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance };
            if (options.IoThreads is { } n) context.IoThreads = n;
            return context;
        });
        services.TryAddSingleton(sp => new ZmqRuntime(registry, sp.GetRequiredService<Context>(), sp.GetRequiredService<IOptionsMonitor<ZmqSocketOptions>>(),
            sp.GetRequiredService<IOptions<ZmqOptions>>(), sp.GetRequiredService<IOptions<HostOptions>>(), sp,
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.TryAddSingleton<IZmqSockets>(sp => sp.GetRequiredService<ZmqRuntime>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ZmqHostedService>(sp => new ZmqHostedService(
            sp.GetRequiredService<ZmqRuntime>(), sp.GetRequiredService<IOptions<HostOptions>>(), sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZmqSocketOptions>>(new ZmqSocketOptionsValidator(registry)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ZmqOptions>, ZmqOptionsValidator>());
        services.AddOptions<ZmqOptions>().ValidateOnStart();
        return registry;
    }

    /// <summary>Registers a name (once; names are case-insensitive) and its keyed services under every spelling used.</summary>
    private static SocketRegistration RegisterSocket(IServiceCollection services, ZmqRegistry registry, string name, Type? clr, bool asked)
    {
        var (registration, added) = registry.AddSocket(name);
        if (added) services.AddOptions<ZmqSocketOptions>(registration.Name).ValidateOnStart();
        if (registration.Keys.Add(name))
            foreach (var type in registration.KeyedTypes) AddKeyed(services, registration, type, name);
        if (asked && clr is not null) registration.ClrTypes.Add(clr);
        AddKeyedOnce(services, registration, typeof(Socket));
        if (clr is not null && clr != typeof(Socket)) AddKeyedOnce(services, registration, clr);
        return registration;
    }

    private static void AddKeyedOnce(IServiceCollection services, SocketRegistration registration, Type type)
    {
        if (!registration.KeyedTypes.Add(type)) return;
        foreach (var key in registration.Keys) AddKeyed(services, registration, type, key);
    }

    private static void AddKeyed(IServiceCollection services, SocketRegistration registration, Type type, string key) =>
        services.AddKeyedSingleton(type, key, (sp, _) =>
        {
            var socket = sp.GetRequiredService<IZmqSockets>().Get(registration.Name);
            return type.IsInstanceOfType(socket) ? socket
                : throw new InvalidOperationException($"Zmq socket '{registration.Name}' is a {socket.Type.ToString().ToUpperInvariant()} socket ({socket.GetType().Name}), not a {type.Name}");
        });
}
