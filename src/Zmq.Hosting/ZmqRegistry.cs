using Zmq.Toolkit;

namespace Zmq.Hosting;

/// <summary>What was registered: socket names (with the class each registration asked for) and actors. One per service collection.</summary>
internal sealed class ZmqRegistry
{
    private readonly List<SocketRegistration> _sockets = [];
    private readonly List<ActorRegistration> _actors = [];

    public IReadOnlyList<SocketRegistration> Sockets => _sockets;

    public IReadOnlyList<ActorRegistration> Actors => _actors;

    /// <summary>The registration named <paramref name="name"/> (names are case-insensitive, as configuration keys are).</summary>
    public SocketRegistration? Find(string name) =>
        _sockets.Find(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public ActorRegistration? FindActor(string name) =>
        _actors.Find(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Adds (or finds) a socket; returns it and whether it is new.</summary>
    public (SocketRegistration Registration, bool Added) AddSocket(string name)
    {
        if (Find(name) is { } existing) return (existing, false);
        var r = new SocketRegistration(name);
        _sockets.Add(r);
        return (r, true);
    }

    public void AddActor(ActorRegistration actor)
    {
        if (FindActor(actor.Name) is not null) throw new InvalidOperationException($"a Zmq actor named '{actor.Name}' is already registered");
        _actors.Add(actor);
    }
}

/// <summary>One named socket: the canonical name and the socket classes registrations asked for.</summary>
internal sealed class SocketRegistration(string name)
{
    public string Name { get; } = name;

    /// <summary>Every spelling a registration used (keyed services are registered under each).</summary>
    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal) { name };

    /// <summary>Classes asked for by <c>AddZmqSocket&lt;T&gt;</c> (the configured Type must be one of them).</summary>
    public HashSet<Type> ClrTypes { get; } = [];

    /// <summary>Classes registered as keyed services so far.</summary>
    public HashSet<Type> KeyedTypes { get; } = [];
}

/// <summary>One hosted actor.</summary>
internal sealed record ActorRegistration(string Name, Func<IServiceProvider, Action<PairSocket>> Handler, TimeSpan? TerminateTimeout);
