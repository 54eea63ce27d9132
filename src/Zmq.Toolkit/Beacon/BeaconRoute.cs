using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Zmq.Toolkit;

/// <summary>Where a beacon's two UDP sockets bind and where it sends, as CZMQ's zbeacon decides it.</summary>
/// <param name="Hostname">What CONFIGURE answers: the interface's address as text (<c>*</c> for the wildcard).</param>
/// <param name="InterfaceName">The chosen interface (null for the wildcard or an unknown one).</param>
/// <param name="InterfaceIndex">Its index, for IPv6 multicast (0: the kernel chooses).</param>
/// <param name="SendBind">The sending socket's address: the interface's address and the beacon's port.</param>
/// <param name="ReceiveBind">The receiving socket's address: any address, the beacon's port.</param>
/// <param name="Destination">The broadcast address (IPv4) or multicast group (IPv6), the beacon's port.</param>
internal sealed record BeaconRoute(string Hostname, string? InterfaceName, int InterfaceIndex, IPEndPoint SendBind, IPEndPoint ReceiveBind, IPEndPoint Destination)
{
    /// <summary>True for IPv6 (multicast); false for IPv4 (broadcast).</summary>
    public bool IsIPv6 => Destination.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>IPv6's default beacon group: link-local all nodes, as CZMQ.</summary>
    public const string DefaultIPv6Group = "ff02:0:0:0:0:0:0:1";

    /// <summary>
    /// Chooses the interface and addresses as zbeacon does. <paramref name="iface"/> is the
    /// explicit interface or ZSYS_INTERFACE ("" for none): <c>*</c> binds any address and sends to
    /// 255.255.255.255 (IPv6: the group); a single digit is an index into the list; otherwise the
    /// first usable entry of the right family whose name or address is <paramref name="iface"/>
    /// (any, when empty). With IPv6, a set <paramref name="ipv6Address"/> (ZSYS_IPV6_ADDRESS) and
    /// a named interface bind that address on that interface. Null when nothing fits.
    /// </summary>
    public static BeaconRoute? Select(IReadOnlyList<InterfaceAddress> list, int port, string iface, bool ipv6, string ipv6Address = "", string? ipv6Group = null)
    {
        var group = IPAddress.Parse(string.IsNullOrEmpty(ipv6Group) ? DefaultIPv6Group : ipv6Group);
        var any = ipv6 ? IPAddress.IPv6Any : IPAddress.Any;
        var receive = new IPEndPoint(any, port);
        if (iface == "*")
        {
            var to = ipv6 ? group : IPAddress.Broadcast;
            return new BeaconRoute("*", null, 0, new IPEndPoint(any, port), receive, new IPEndPoint(to, port));
        }
        var usable = list.Where(e => e.IsUsable).ToList();
        if (iface.Length == 1 && char.IsAsciiDigit(iface[0]))
        {
            int wanted = iface[0] - '0';
            // CZMQ counts every usable entry of both families, and takes the one at that position
            // only if it has the family in use.
            return wanted < usable.Count && usable[wanted].IsIPv6 == ipv6 ? Route(usable[wanted]) : null;
        }
        if (ipv6 && ipv6Address.Length > 0 && iface.Length > 0)
        {
            if (!IPAddress.TryParse(ipv6Address, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6) return null;
            int index = list.FirstOrDefault(e => e.Name == iface)?.Index ?? 0;
            // A link-local address given without its scope is taken on the named interface.
            if (address.IsIPv6LinkLocal && !ipv6Address.Contains('%', StringComparison.Ordinal)) address.ScopeId = index;
            return new BeaconRoute(InterfaceAddress.Format(address, iface), iface, index, new IPEndPoint(address, port), receive, new IPEndPoint(group, port));
        }
        foreach (var entry in usable)
        {
            if (entry.IsIPv6 != ipv6) continue;
            if (iface.Length == 0 || entry.Name == iface || entry.AddressText == iface || SameAddress(entry.Address, iface))
                return Route(entry);
        }
        return null;

        BeaconRoute Route(InterfaceAddress entry)
        {
            var to = entry.IsIPv6 ? group : entry.BroadcastAddress;
            return new BeaconRoute(entry.AddressText, entry.Name, entry.Index, new IPEndPoint(entry.Address, port), receive, new IPEndPoint(to, port));
        }
    }

    private static bool SameAddress(IPAddress address, string text) =>
        IPAddress.TryParse(text, out var parsed) && new IPAddress(parsed.GetAddressBytes()).Equals(new IPAddress(address.GetAddressBytes()));

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"interface={InterfaceName ?? "*"} address={Hostname} {(IsIPv6 ? "multicast" : "broadcast")}={Destination.Address}");
}
