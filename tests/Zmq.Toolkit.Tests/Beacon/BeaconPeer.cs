using System.Text;
using Zmq.Tests.Infrastructure;

namespace Zmq.Toolkit.Tests;

/// <summary>Which beacon a peer process runs.</summary>
public enum PeerKind
{
    /// <summary>Our <see cref="Beacon"/> class (tests/Zmq.BeaconPeer class).</summary>
    Class,

    /// <summary>Our <see cref="BeaconActor"/> (tests/Zmq.BeaconPeer actor).</summary>
    Actor,

    /// <summary>CZMQ 4.2.1's zbeacon (zbeacon_peer.c built with gcc).</summary>
    Czmq,
}

/// <summary>
/// A beacon in a child process inside a test namespace, driven by the peers' line protocol:
/// commands on stdin, <c>HOST</c> answers and <c>BEACON address hex</c> lines on stdout.
/// </summary>
internal sealed class BeaconPeer
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly Queue<(string Address, byte[] Payload)> _beacons = new();

    private BeaconPeer(NetnsProcess process, PeerKind kind)
    {
        Process = process;
        Kind = kind;
    }

    public NetnsProcess Process { get; }

    public PeerKind Kind { get; }

    /// <summary>Starts a peer of <paramref name="kind"/> in namespace <paramref name="ns"/> (owned by <paramref name="pair"/>).</summary>
    public static BeaconPeer Start(NetnsPair pair, string ns, PeerKind kind, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = kind == PeerKind.Czmq
            ? pair.Start(ns, CzmqBeaconPeer.Path, [], environment)
            : pair.StartDotnet(ns, Path.Combine(AppContext.BaseDirectory, "Zmq.BeaconPeer.dll"), [kind == PeerKind.Class ? "class" : "actor"], environment);
        return new BeaconPeer(process, kind);
    }

    /// <summary>CONFIGURE: the address the beacon answers ("" when it failed).</summary>
    public string Configure(int port, string? networkInterface = null)
    {
        Process.WriteLine(networkInterface is null ? $"CONFIGURE {port}" : $"CONFIGURE {port} {networkInterface}");
        return Next("HOST", "the answer to CONFIGURE")[1];
    }

    public void Publish(byte[] payload, int intervalMs) => Process.WriteLine($"PUBLISH {Hex(payload)} {intervalMs}");

    public void Publish(string payload, int intervalMs) => Publish(Encoding.UTF8.GetBytes(payload), intervalMs);

    public void Silence() => Process.WriteLine("SILENCE");

    public void Subscribe(string prefix) => Process.WriteLine($"SUBSCRIBE {Hex(Encoding.UTF8.GetBytes(prefix))}");

    public void Unsubscribe() => Process.WriteLine("UNSUBSCRIBE");

    /// <summary>Sends one raw UDP datagram (our peers only), from a socket of its own; returns once it is sent.</summary>
    public void Send(string address, int port, byte[] data)
    {
        Process.WriteLine($"SEND {address} {port} {Hex(data)}");
        Next("SENT", "SENT");
    }

    public void Send(string address, int port, string text) => Send(address, port, Encoding.UTF8.GetBytes(text));

    /// <summary>Sends a raw datagram of <paramref name="length"/> bytes (our peers only).</summary>
    public void SendLength(string address, int port, int length)
    {
        Process.WriteLine($"SENDN {address} {port} {length}");
        Next("SENT", "SENT");
    }

    /// <summary>The next beacon the peer delivered, waiting at most <see cref="Wait"/> (fails the test otherwise).</summary>
    public (string Address, byte[] Payload) NextBeacon(TimeSpan? wait = null)
    {
        if (_beacons.TryDequeue(out var b)) return b;
        var f = Next("BEACON", "beacon", wait);
        return (f[1], Convert.FromHexString(f[2]));
    }

    /// <summary>The next beacon as (address, UTF-8 text).</summary>
    public (string Address, string Text) NextText(TimeSpan? wait = null)
    {
        var (address, payload) = NextBeacon(wait);
        return (address, Encoding.UTF8.GetString(payload));
    }

    /// <summary>Every beacon delivered within <paramref name="wait"/>.</summary>
    public List<(string Address, byte[] Payload)> BeaconsFor(TimeSpan wait)
    {
        var result = new List<(string, byte[])>(_beacons);
        _beacons.Clear();
        foreach (var line in Process.ReadFor(wait))
        {
            var f = line.Split('\t');
            if (f[0] == "BEACON") result.Add((f[1], Convert.FromHexString(f[2])));
        }
        return result;
    }

    /// <summary>Ends the peer (QUIT) and waits for it.</summary>
    public void Quit()
    {
        Process.WriteLine("QUIT");
        Process.WaitForExit(Wait);
    }

    public override string ToString() => $"{Kind} {Process}";

    private string[] Next(string tag, string what, TimeSpan? wait = null)
    {
        while (true)
        {
            var line = Process.WaitFor(l => l.StartsWith(tag + "\t", StringComparison.Ordinal) || l == tag || l.StartsWith("BEACON\t", StringComparison.Ordinal), wait ?? Wait, what);
            var f = line.Split('\t');
            if (f[0] == tag) return f;
            _beacons.Enqueue((f[1], Convert.FromHexString(f[2]))); // a beacon before the answer: kept in order
        }
    }

    private static string Hex(byte[] data) => Convert.ToHexStringLower(data);
}
