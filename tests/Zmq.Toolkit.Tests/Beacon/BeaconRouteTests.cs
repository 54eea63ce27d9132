using System.Net;

namespace Zmq.Toolkit.Tests;

/// <summary>Choosing the interface and addresses as zbeacon does, from a made-up interface list (no network).</summary>
public sealed class BeaconRouteTests
{
    private const InterfaceFlags UpBroadcast = InterfaceFlags.Up | InterfaceFlags.Broadcast | InterfaceFlags.Multicast;

    private static InterfaceAddress V4(string name, int index, string address, string mask, string? broadcast, InterfaceFlags flags = UpBroadcast) =>
        new(name, index, flags, IPAddress.Parse(address), IPAddress.Parse(mask), broadcast is null ? null : IPAddress.Parse(broadcast));

    private static InterfaceAddress V6(string name, int index, string address, InterfaceFlags flags = UpBroadcast)
    {
        var ip = IPAddress.Parse(address);
        if (ip.IsIPv6LinkLocal) ip.ScopeId = index;
        return new(name, index, flags, ip, IPAddress.Parse("ffff:ffff:ffff:ffff::"), null);
    }

    /// <summary>A host as getifaddrs lists it: IPv4 entries first, then IPv6, in interface order.</summary>
    private static readonly InterfaceAddress[] Host =
    [
        V4("lo", 1, "127.0.0.1", "255.0.0.0", null, InterfaceFlags.Up | InterfaceFlags.Loopback),
        V4("tun0", 2, "10.8.0.2", "255.255.255.255", "10.8.0.1", InterfaceFlags.Up | InterfaceFlags.PointToPoint | InterfaceFlags.Multicast),
        V4("eth9", 3, "172.16.0.5", "255.255.0.0", "172.16.255.255", InterfaceFlags.Broadcast | InterfaceFlags.Multicast), // down
        V4("bond-slave", 4, "172.17.0.5", "255.255.0.0", "172.17.255.255", UpBroadcast | InterfaceFlags.Slave),
        V4("eth0", 5, "192.168.1.20", "255.255.255.0", "192.168.1.20"),   // no brd set: getifaddrs reports the address
        V4("eth1", 6, "10.1.2.3", "255.255.0.0", "10.1.200.255"),         // brd set (oddly) by hand: used as it is
        V6("lo", 1, "::1", InterfaceFlags.Up | InterfaceFlags.Loopback | InterfaceFlags.Multicast),
        V6("eth0", 5, "fe80::20", UpBroadcast),
        V6("eth1", 6, "fd00::3", UpBroadcast),
    ];

    [Fact]
    public void The_first_interface_that_is_up_and_broadcasts_is_chosen_skipping_loopback_point_to_point_down_and_slaves()
    {
        var route = BeaconRoute.Select(Host, 5670, "", ipv6: false)!;
        Assert.Equal("eth0", route.InterfaceName);
        Assert.Equal("192.168.1.20", route.Hostname);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 5670), route.SendBind);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 5670), route.ReceiveBind);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.255"), 5670), route.Destination); // address | ~netmask
        Assert.False(route.IsIPv6);
    }

    [Fact]
    public void The_kernels_broadcast_address_is_used_when_one_is_set()
    {
        var route = BeaconRoute.Select(Host, 9999, "eth1", ipv6: false)!;
        Assert.Equal("10.1.2.3", route.Hostname);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.200.255"), 9999), route.Destination);
    }

    [Theory]
    [InlineData("10.1.2.3", "255.255.0.0", "10.1.255.255")]
    [InlineData("192.168.7.130", "255.255.255.128", "192.168.7.255")]
    [InlineData("10.200.7.1", "255.255.255.0", "10.200.7.255")]
    public void Without_a_broadcast_address_it_is_address_or_not_netmask(string address, string mask, string expected)
    {
        var route = BeaconRoute.Select([V4("eth0", 2, address, mask, address)], 1, "", false)!;
        Assert.Equal(IPAddress.Parse(expected), route.Destination.Address);
    }

    [Fact]
    public void An_interface_without_the_broadcast_flag_or_address_is_not_a_beacon_interface()
    {
        Assert.Null(BeaconRoute.Select([V4("eth0", 2, "10.0.0.1", "255.0.0.0", "10.255.255.255", InterfaceFlags.Up | InterfaceFlags.Multicast)], 1, "", false));
        Assert.Null(BeaconRoute.Select([V4("eth0", 2, "10.0.0.1", "255.0.0.0", null)], 1, "", false));
    }

    [Theory]
    [InlineData("eth1", "10.1.2.3")]
    [InlineData("10.1.2.3", "10.1.2.3")]   // an address names its interface
    [InlineData("eth0", "192.168.1.20")]
    public void An_interface_is_found_by_name_or_address(string wanted, string hostname) =>
        Assert.Equal(hostname, BeaconRoute.Select(Host, 5670, wanted, false)!.Hostname);

    [Theory]
    [InlineData("eth7")]
    [InlineData("tun0")]        // point-to-point
    [InlineData("eth9")]        // down
    [InlineData("127.0.0.1")]   // loopback
    [InlineData("10.9.9.9")]
    public void An_interface_that_is_missing_or_unusable_gives_no_route(string wanted) =>
        Assert.Null(BeaconRoute.Select(Host, 5670, wanted, false));

    [Fact]
    public void A_star_binds_any_address_and_broadcasts_to_255_255_255_255()
    {
        var route = BeaconRoute.Select(Host, 5670, "*", false)!;
        Assert.Equal("*", route.Hostname);
        Assert.Null(route.InterfaceName);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 5670), route.SendBind);
        Assert.Equal(new IPEndPoint(IPAddress.Broadcast, 5670), route.Destination);
        var v6 = BeaconRoute.Select(Host, 5670, "*", true)!;
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 5670), v6.SendBind);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("ff02::1"), 5670), v6.Destination);
    }

    [Fact]
    public void A_digit_is_a_position_in_the_list_of_usable_entries_of_both_families()
    {
        // usable, in order: eth0 (v4), eth1 (v4), eth0 (v6 fe80::20), eth1 (v6 fd00::3)
        Assert.Equal("192.168.1.20", BeaconRoute.Select(Host, 1, "0", false)!.Hostname);
        Assert.Equal("10.1.2.3", BeaconRoute.Select(Host, 1, "1", false)!.Hostname);
        Assert.Null(BeaconRoute.Select(Host, 1, "2", false));           // an IPv6 entry: not with IPv4
        Assert.Equal("fd00::3", BeaconRoute.Select(Host, 1, "3", true)!.Hostname);
        Assert.Null(BeaconRoute.Select(Host, 1, "0", true));            // an IPv4 entry: not with IPv6
        Assert.Null(BeaconRoute.Select(Host, 1, "9", false));
    }

    [Fact]
    public void IPv6_takes_the_first_multicast_interface_and_sends_to_ff02_1_on_it()
    {
        var route = BeaconRoute.Select(Host, 5670, "", ipv6: true)!;
        Assert.True(route.IsIPv6);
        Assert.Equal("eth0", route.InterfaceName);
        Assert.Equal(5, route.InterfaceIndex);
        Assert.Equal("fe80::20%eth0", route.Hostname);                     // link-local: with the interface's name, as getnameinfo
        Assert.Equal(IPAddress.Parse("fe80::20"), new IPAddress(route.SendBind.Address.GetAddressBytes()));
        Assert.Equal(5, route.SendBind.Address.ScopeId);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 5670), route.ReceiveBind);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("ff02::1"), 5670), route.Destination);
        Assert.Equal("fd00::3", BeaconRoute.Select(Host, 5670, "eth1", true)!.Hostname);
    }

    [Fact]
    public void IPv6_follows_ZSYS_IPV6_MCAST_ADDRESS_and_ZSYS_IPV6_ADDRESS()
    {
        Assert.Equal(IPAddress.Parse("ff02::1234"), BeaconRoute.Select(Host, 1, "", true, ipv6Group: "ff02::1234")!.Destination.Address);
        var route = BeaconRoute.Select(Host, 7000, "eth1", true, ipv6Address: "fe80::99")!;
        Assert.Equal("fe80::99%eth1", route.Hostname);
        Assert.Equal(6, route.InterfaceIndex);
        Assert.Equal(6, route.SendBind.Address.ScopeId);
        // without an interface name, ZSYS_IPV6_ADDRESS is not used (as zbeacon)
        Assert.Equal("fe80::20%eth0", BeaconRoute.Select(Host, 7000, "", true, ipv6Address: "fe80::99")!.Hostname);
    }

    [Fact]
    public void An_IPv6_interface_needs_the_multicast_flag_not_broadcast()
    {
        Assert.NotNull(BeaconRoute.Select([V6("wg0", 3, "fd00::1", InterfaceFlags.Up | InterfaceFlags.Multicast)], 1, "", true));
        Assert.Null(BeaconRoute.Select([V6("eth0", 3, "fd00::1", InterfaceFlags.Up | InterfaceFlags.Broadcast)], 1, "", true));
    }

    [Fact]
    public void This_hosts_own_list_reads_without_failing()
    {
        // Only reading (getifaddrs): no socket is opened here.
        var list = InterfaceList.Snapshot();
        Assert.All(list, e => Assert.False(string.IsNullOrEmpty(e.Name)));
        if (OperatingSystem.IsLinux()) Assert.Contains(list, e => e.Flags.HasFlag(InterfaceFlags.Loopback) && e.Address.Equals(IPAddress.Loopback));
    }
}
