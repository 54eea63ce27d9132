using System.Net;
using System.Net.Sockets;

namespace Zmq.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A port that was free a moment ago (the OS hands out ephemeral ports in rotation, so reuse soon after is unlikely).</summary>
    public static int Free(IPAddress? address = null)
    {
        var l = new TcpListener(address ?? IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>Parses tcp://host:port (host may be [v6]).</summary>
    public static IPEndPoint Parse(string endpoint)
    {
        var addr = endpoint.Substring("tcp://".Length);
        int colon = addr.LastIndexOf(':');
        var host = addr.Substring(0, colon).Trim('[', ']');
        return new IPEndPoint(IPAddress.Parse(host), int.Parse(addr.Substring(colon + 1)));
    }

    public static bool IPv6LoopbackAvailable()
    {
        if (!System.Net.Sockets.Socket.OSSupportsIPv6) return false;
        try
        {
            using var s = new System.Net.Sockets.Socket(AddressFamily.InterNetworkV6, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
