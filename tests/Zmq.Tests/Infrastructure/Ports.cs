using System.Net;
using System.Net.Sockets;

namespace Zmq.Tests.Infrastructure;

public static class Ports
{
    private static int s_next = Environment.ProcessId * 7919;

    /// <summary>
    /// A port that is free now, taken from below the kernel's ephemeral range: outgoing connections
    /// get their local ports from that range, so no connection made meanwhile (by this test process
    /// or another one running beside it) can take the port before the test binds it. Each call
    /// gives another port.
    /// </summary>
    public static int Free(IPAddress? address = null)
    {
        int low = EphemeralLow();
        const int Floor = 20000;
        if (low - Floor < 1000) return Ephemeral(address);
        for (int attempt = 0; attempt < 2000; attempt++)
        {
            int port = Floor + (int)((uint)Interlocked.Increment(ref s_next) % (uint)(low - Floor));
            try
            {
                var l = new TcpListener(address ?? IPAddress.Loopback, port) { ExclusiveAddressUse = true };
                l.Start();
                l.Stop();
                return port;
            }
            catch (SocketException)
            {
                // taken: try the next one
            }
        }
        return Ephemeral(address);
    }

    private static int Ephemeral(IPAddress? address)
    {
        var l = new TcpListener(address ?? IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static int EphemeralLow()
    {
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            return int.Parse(text.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32768; // Linux's default; other systems' ranges start higher
        }
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
