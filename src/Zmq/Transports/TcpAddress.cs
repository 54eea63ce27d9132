using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Zmq.Transports;

/// <summary>A parsed <c>tcp://host:port</c> endpoint (host may be <c>*</c>, an IP, <c>[ipv6]</c> or a name; port may be <c>*</c> on bind).</summary>
internal sealed class TcpAddress(string host, int port, bool wildcard) : StreamAddress
{
    public string Host { get; } = host;
    public int Port { get; } = port;
    public bool Wildcard { get; } = wildcard;

    /// <summary>With IPV6 a wildcard binds [::] in dual-stack mode (IPv4 clients too), as libzmq does.</summary>
    public override EndPoint BindEndPoint(string endpoint, Engine.ConnectionSettings settings) =>
        new IPEndPoint(Wildcard && settings.Ipv6 ? IPAddress.IPv6Any : Resolve(endpoint, settings.Type)[0], Port);

    public override EndPoint? ConnectEndPoint() => IPAddress.TryParse(Host, out var literal) ? new IPEndPoint(literal, Port) : null;

    public override async Task<EndPoint> ResolveAsync()
    {
        if (ConnectEndPoint() is { } literal) return literal;
        var ips = await Dns.GetHostAddressesAsync(Host).ConfigureAwait(false);
        if (ips.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        return new IPEndPoint(ips.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First(), Port);
    }

    public override System.Net.Sockets.Socket NewSocket(EndPoint ep) =>
        new(ep.AddressFamily, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);

    public override void Configure(System.Net.Sockets.Socket s, Engine.ConnectionSettings settings)
    {
        s.NoDelay = true;
        settings.ApplyKeepalive(s);
    }

    public override void BeforeBind(System.Net.Sockets.Socket listener, string endpoint, SocketType type)
    {
        AllowRebindDuringTimeWait(listener);
        if (listener.AddressFamily == AddressFamily.InterNetworkV6 && Wildcard) listener.DualMode = true;
    }

    public override string Describe(EndPoint bound) => Format((IPEndPoint)bound);

    /// <summary>
    /// SO_REUSEADDR alone, as libzmq sets it: a restarted server can bind while old connections sit in
    /// TIME_WAIT, yet a second listener on the same port still fails. (.NET's ReuseAddress option also
    /// sets SO_REUSEPORT on Linux, which would let two sockets share the port.)
    /// </summary>
    private static void AllowRebindDuringTimeWait(System.Net.Sockets.Socket s)
    {
        if (OperatingSystem.IsLinux()) s.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));          // SOL_SOCKET, SO_REUSEADDR
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) s.SetRawSocketOption(0xFFFF, 4, BitConverter.GetBytes(1));
        else if (OperatingSystem.IsWindows()) s.ExclusiveAddressUse = true;
    }

    public static TcpAddress Parse(string address, string endpoint, SocketType type, bool bind)
    {
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || colon == address.Length - 1)
            throw Invalid(endpoint, type, "expected tcp://host:port");
        string host = address.Substring(0, colon);
        string portText = address.Substring(colon + 1);
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':')) throw Invalid(endpoint, type, "IPv6 addresses must be written in brackets, e.g. tcp://[::1]:5555");
        if (host.Length == 0) throw Invalid(endpoint, type, "missing host");
        int port;
        if (portText == "*" || portText == "0")
        {
            if (!bind) throw Invalid(endpoint, type, "a wildcard port can only be bound, not connected to");
            port = 0;
        }
        else if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            throw Invalid(endpoint, type, $"port '{portText}' is not a number from 1 to 65535");
        }
        bool wildcard = host == "*";
        if (wildcard && !bind) throw Invalid(endpoint, type, "cannot connect to '*'; name a host");
        return new TcpAddress(host, port, wildcard);
    }

    /// <summary>Resolves to IP end points (IP literals need no lookup).</summary>
    public IPAddress[] Resolve(string endpoint, SocketType type)
    {
        if (Wildcard) return [IPAddress.Any];
        if (IPAddress.TryParse(Host, out var ip)) return [ip];
        try
        {
            var found = Dns.GetHostAddresses(Host);
            if (found.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
            // Prefer IPv4 as libzmq does unless IPv6 is asked for.
            return found.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).ToArray();
        }
        catch (SocketException ex)
        {
            throw new ZmqException(ZmqError.HostNotFound, $"host '{Host}' could not be resolved{(ex.SocketErrorCode == System.Net.Sockets.SocketError.HostNotFound ? "" : $" ({ex.SocketErrorCode})")}", type, endpoint, ex);
        }
    }

    public static string Format(IPEndPoint ep) => ep.AddressFamily == AddressFamily.InterNetworkV6
        ? $"tcp://[{ep.Address}]:{ep.Port}"
        : $"tcp://{ep.Address}:{ep.Port}";

    private static ZmqException Invalid(string endpoint, SocketType type, string why) =>
        new(ZmqError.InvalidEndpoint, $"invalid endpoint: {why}", type, endpoint);
}
