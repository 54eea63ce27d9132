using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Zmq.Toolkit;

/// <summary>
/// A snapshot of the host's interface addresses, in the order the system lists them. On Linux it
/// is getifaddrs, as CZMQ's ziflist reads it (the kernel's broadcast address, IFF_* flags, the
/// kernel's order); elsewhere .NET's NetworkInterface list, where the broadcast address is
/// computed as <c>address | ~netmask</c> (untested: only Linux is tested here).
/// </summary>
internal static partial class InterfaceList
{
    public static IReadOnlyList<InterfaceAddress> Snapshot()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return FromGetifaddrs();
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // not glibc/musl as expected: the portable list below
            }
        }
        return FromNetworkInterfaces();
    }

    // ---- Linux: getifaddrs ----

    private const uint IFF_UP = 0x1, IFF_BROADCAST = 0x2, IFF_LOOPBACK = 0x8, IFF_POINTOPOINT = 0x10, IFF_SLAVE = 0x800, IFF_MULTICAST = 0x1000;
    private const ushort AF_INET = 2, AF_INET6 = 10;

    /// <summary>struct ifaddrs (the same layout on glibc and musl).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IfAddrs
    {
        public IntPtr Next;
        public IntPtr Name;
        public uint Flags;
        public IntPtr Addr;
        public IntPtr Netmask;
        public IntPtr BroadAddr; // ifa_ifu: the broadcast address (or a point-to-point peer)
        public IntPtr Data;
    }

    [LibraryImport("libc", EntryPoint = "getifaddrs", SetLastError = true)]
    private static partial int GetIfAddrs(out IntPtr list);

    [LibraryImport("libc", EntryPoint = "freeifaddrs")]
    private static partial void FreeIfAddrs(IntPtr list);

    [LibraryImport("libc", EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint IfNameToIndex(string name);

    private static List<InterfaceAddress> FromGetifaddrs()
    {
        var result = new List<InterfaceAddress>();
        if (GetIfAddrs(out IntPtr list) != 0) return FromNetworkInterfaces();
        try
        {
            var indexes = new Dictionary<string, int>();
            for (IntPtr p = list; p != IntPtr.Zero;)
            {
                var entry = Marshal.PtrToStructure<IfAddrs>(p);
                p = entry.Next;
                if (entry.Addr == IntPtr.Zero || entry.Netmask == IntPtr.Zero || entry.Name == IntPtr.Zero) continue;
                var address = ReadSockaddr(entry.Addr, out uint scope);
                var netmask = ReadSockaddr(entry.Netmask, out _);
                if (address is null || netmask is null || address.AddressFamily != netmask.AddressFamily) continue;
                string name = Marshal.PtrToStringUTF8(entry.Name) ?? "";
                if (!indexes.TryGetValue(name, out int index))
                    indexes[name] = index = (int)IfNameToIndex(name);
                if (address.AddressFamily == AddressFamily.InterNetworkV6 && scope != 0) address.ScopeId = scope;
                IPAddress? broadcast = null;
                if (address.AddressFamily == AddressFamily.InterNetwork && (entry.Flags & IFF_BROADCAST) != 0 && entry.BroadAddr != IntPtr.Zero)
                    broadcast = ReadSockaddr(entry.BroadAddr, out _);
                result.Add(new InterfaceAddress(name, index, Flags(entry.Flags), address, netmask, broadcast));
            }
        }
        finally
        {
            FreeIfAddrs(list);
        }
        return result;
    }

    /// <summary>A Linux sockaddr_in or sockaddr_in6 (family in the first two bytes); null for other families.</summary>
    private static IPAddress? ReadSockaddr(IntPtr sa, out uint scope)
    {
        scope = 0;
        ushort family = (ushort)Marshal.ReadInt16(sa);
        if (family == AF_INET)
        {
            var bytes = new byte[4];
            Marshal.Copy(sa + 4, bytes, 0, 4);
            return new IPAddress(bytes);
        }
        if (family == AF_INET6)
        {
            var bytes = new byte[16];
            Marshal.Copy(sa + 8, bytes, 0, 16);
            scope = (uint)Marshal.ReadInt32(sa + 24);
            return new IPAddress(bytes);
        }
        return null;
    }

    private static InterfaceFlags Flags(uint f)
    {
        var flags = InterfaceFlags.None;
        if ((f & IFF_UP) != 0) flags |= InterfaceFlags.Up;
        if ((f & IFF_BROADCAST) != 0) flags |= InterfaceFlags.Broadcast;
        if ((f & IFF_LOOPBACK) != 0) flags |= InterfaceFlags.Loopback;
        if ((f & IFF_POINTOPOINT) != 0) flags |= InterfaceFlags.PointToPoint;
        if ((f & IFF_MULTICAST) != 0) flags |= InterfaceFlags.Multicast;
        if ((f & IFF_SLAVE) != 0) flags |= InterfaceFlags.Slave;
        return flags;
    }

    // ---- elsewhere: NetworkInterface ----

    private static List<InterfaceAddress> FromNetworkInterfaces()
    {
        var result = new List<InterfaceAddress>();
        NetworkInterface[] all;
        try
        {
            all = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return result;
        }
        foreach (var nic in all)
        {
            var flags = InterfaceFlags.None;
            if (nic.OperationalStatus == OperationalStatus.Up) flags |= InterfaceFlags.Up;
            if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) flags |= InterfaceFlags.Loopback;
            else if (nic.NetworkInterfaceType is NetworkInterfaceType.Ppp or NetworkInterfaceType.Tunnel) flags |= InterfaceFlags.PointToPoint;
            else flags |= InterfaceFlags.Broadcast;
            if (nic.SupportsMulticast) flags |= InterfaceFlags.Multicast;
            IPInterfaceProperties props;
            try
            {
                props = nic.GetIPProperties();
            }
            catch (NetworkInformationException)
            {
                continue;
            }
            foreach (var unicast in props.UnicastAddresses)
            {
                var address = unicast.Address;
                int index = 0;
                try
                {
                    index = address.AddressFamily == AddressFamily.InterNetworkV6 ? props.GetIPv6Properties().Index : props.GetIPv4Properties().Index;
                }
                catch (NetworkInformationException)
                {
                }
                if (address.AddressFamily == AddressFamily.InterNetwork)
                    result.Add(new InterfaceAddress(nic.Name, index, flags, address, unicast.IPv4Mask, address)); // broadcast: computed from the mask
                else if (address.AddressFamily == AddressFamily.InterNetworkV6)
                    result.Add(new InterfaceAddress(nic.Name, index, flags, address, IPAddress.IPv6Any, null));
            }
        }
        return result;
    }
}
