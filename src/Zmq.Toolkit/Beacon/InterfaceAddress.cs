using System.Net;

namespace Zmq.Toolkit;

/// <summary>The flags of a network interface that a beacon looks at (Linux's IFF_* meanings).</summary>
[Flags]
internal enum InterfaceFlags
{
    None = 0,
    Up = 1,
    Broadcast = 2,
    Loopback = 4,
    PointToPoint = 8,
    Multicast = 16,
    /// <summary>A bonding slave (IFF_SLAVE): its traffic belongs to the bond.</summary>
    Slave = 32,
}

/// <summary>
/// One address of one interface, as getifaddrs lists it: the interface's name and index, its
/// flags, the address, its netmask and (IPv4) the broadcast address the kernel reports
/// (<c>ip addr</c>'s <c>brd</c>; glibc reports the address itself when none is set).
/// </summary>
internal sealed record InterfaceAddress(string Name, int Index, InterfaceFlags Flags, IPAddress Address, IPAddress Netmask, IPAddress? Broadcast)
{
    /// <summary>True for an IPv6 address.</summary>
    public bool IsIPv6 => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    /// <summary>
    /// True when a beacon may use this entry (CZMQ's ziflist rules): up, not loopback, not
    /// point-to-point, not a bonding slave; IPv4 with a broadcast address on a broadcast-capable
    /// interface, IPv6 on a multicast-capable one.
    /// </summary>
    public bool IsUsable =>
        Flags.HasFlag(InterfaceFlags.Up)
        && !Flags.HasFlag(InterfaceFlags.Loopback)
        && !Flags.HasFlag(InterfaceFlags.PointToPoint)
        && !Flags.HasFlag(InterfaceFlags.Slave)
        && (IsIPv6 ? Flags.HasFlag(InterfaceFlags.Multicast) : Flags.HasFlag(InterfaceFlags.Broadcast) && Broadcast is not null);

    /// <summary>
    /// The IPv4 broadcast address beacons go to: the kernel's broadcast address, or
    /// <c>address | ~netmask</c> when none is set (getifaddrs then reports the address itself).
    /// </summary>
    public IPAddress BroadcastAddress
    {
        get
        {
            if (Broadcast is not null && !Broadcast.Equals(Address)) return Broadcast;
            Span<byte> a = stackalloc byte[4], m = stackalloc byte[4];
            Address.TryWriteBytes(a, out _);
            Netmask.TryWriteBytes(m, out _);
            for (int i = 0; i < 4; i++) a[i] |= (byte)~m[i];
            return new IPAddress(a);
        }
    }

    /// <summary>
    /// The address as CZMQ prints it (getnameinfo, numeric): an IPv6 link-local address carries
    /// <c>%</c> and the interface's name.
    /// </summary>
    public string AddressText => Format(Address, Name);

    /// <summary>An address as getnameinfo prints it numerically, the scope of a link-local IPv6 address as <paramref name="scopeName"/>.</summary>
    public static string Format(IPAddress address, string? scopeName)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || !address.IsIPv6LinkLocal)
            return address.ToString();
        var bare = new IPAddress(address.GetAddressBytes());
        return scopeName is { Length: > 0 } ? $"{bare}%{scopeName}" : address.ToString();
    }
}
