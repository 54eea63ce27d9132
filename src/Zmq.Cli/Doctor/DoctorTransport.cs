using System.Net;
using System.Net.Sockets;

namespace Zmq.Cli.Doctor;

/// <summary>
/// A transport the self-checks run over: an endpoint to bind that picks a free address, and a
/// concrete endpoint nobody has bound yet (to connect before the bind). Every endpoint is fresh,
/// so checks never share a port, path or name.
/// </summary>
internal sealed record DoctorTransport(string Name, Func<string> BindAny, Func<string> NewFixed)
{
    private static long s_next;

    /// <summary>tcp on 127.0.0.1, ephemeral ports.</summary>
    public static readonly DoctorTransport Tcp = new("tcp", () => "tcp://127.0.0.1:*", () => $"tcp://127.0.0.1:{FreePort()}");

    /// <summary>ipc: Unix domain sockets; <c>ipc://*</c> lets the library pick a fresh path in the temp directory.</summary>
    public static readonly DoctorTransport Ipc = new("ipc", () => "ipc://*", () => "ipc://" + Path.Combine(Path.GetTempPath(), $"zmq-doctor-{Environment.ProcessId}-{Next()}.sock"));

    /// <summary>inproc: sockets of one context joined by name (the doctor's sockets share the default context; names are unique).</summary>
    public static readonly DoctorTransport Inproc = new("inproc", NewInproc, NewInproc);

    public static IReadOnlyList<DoctorTransport> All { get; } = [Tcp, Ipc, Inproc];

    /// <summary>tcp and ipc carry ZMTP over a stream; inproc hands messages between two sockets of one process, with no wire.</summary>
    public bool HasWire => this != Inproc;

    public override string ToString() => Name;

    private static string NewInproc() => $"inproc://doctor-{Environment.ProcessId}-{Next()}";

    private static long Next() => Interlocked.Increment(ref s_next);

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
