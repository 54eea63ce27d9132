using System.Net.Sockets;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Tests.Infrastructure;

/// <summary>Fresh endpoints per transport, so parallel tests never share a path or a name.</summary>
public static class Endpoints
{
    private static long s_next;

    /// <summary>A unique socket path in the temp directory (short: sun_path holds 107 bytes on Linux, 103 on macOS).</summary>
    public static string NewIpcPath() =>
        Path.Combine(Path.GetTempPath(), $"zmq-t-{Environment.ProcessId}-{Interlocked.Increment(ref s_next)}-{Guid.NewGuid().ToString("N")[..8]}.sock");

    /// <summary><c>ipc://</c> + <see cref="NewIpcPath"/>.</summary>
    public static string NewIpc() => "ipc://" + NewIpcPath();

    /// <summary>A unique inproc name (names are per Context; unique anyway, so a shared context cannot collide either).</summary>
    public static string NewInproc(string tag = "t") => $"inproc://{tag}-{Interlocked.Increment(ref s_next)}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>An endpoint to bind on <paramref name="transport"/> ("tcp", "ipc", "inproc") that picks a free address; read the bound one from LastEndpoint.</summary>
    public static string BindAny(string transport) => transport switch
    {
        "tcp" => "tcp://127.0.0.1:*",
        "ipc" => "ipc://*",
        "inproc" => NewInproc(),
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "tcp, ipc or inproc"),
    };

    /// <summary>The path of an <c>ipc://path</c> endpoint.</summary>
    public static string IpcPath(string endpoint) =>
        endpoint.StartsWith("ipc://", StringComparison.Ordinal) ? endpoint["ipc://".Length..] : throw new ArgumentException($"not an ipc endpoint: {endpoint}");

    /// <summary>A plain Unix domain socket connected to <paramref name="path"/> (throws SocketException when nobody listens).</summary>
    public static NetSocket ConnectUnix(string path)
    {
        var ep = new UnixDomainSocketEndPoint(path.StartsWith('@') ? "\0" + path[1..] : path);
        var s = new NetSocket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            s.Connect(ep);
            return s;
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }
}
