using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using UdpSocket = System.Net.Sockets.Socket;

namespace Zmq.Toolkit;

/// <summary>
/// A beacon's two UDP sockets on one route, as zbeacon opens them: the receiving one bound to any
/// address on the port (IPv6: joined to the group on the interface), the sending one bound to the
/// interface's address on the same port, so a beacon's source port is its port and its source
/// address the interface's. Both allow broadcast and share the port with other processes
/// (SO_REUSEADDR, SO_REUSEPORT). One receive loop (asynchronous, no thread of its own) hands every
/// datagram to the owner until the link is disposed; no datagram, however malformed, ends it.
/// </summary>
internal sealed class BeaconLink : IDisposable
{
    /// <summary>Big enough for any UDP datagram, so a longer one is seen as too long rather than cut.</summary>
    private const int ReceiveBufferSize = 65536;

    private readonly UdpSocket _receive;
    private readonly UdpSocket _send;
    private readonly ILogger _logger;
    private readonly Dictionary<long, string> _scopeNames;
    private readonly CancellationTokenSource _closed = new();
    private int _disposed;

    private BeaconLink(BeaconRoute route, UdpSocket receive, UdpSocket send, ILogger logger, Dictionary<long, string> scopeNames)
    {
        Route = route;
        _receive = receive;
        _send = send;
        _logger = logger;
        _scopeNames = scopeNames;
    }

    public BeaconRoute Route { get; }

    /// <summary>Opens and binds both sockets.</summary>
    /// <exception cref="SocketException">A socket could not be created or bound.</exception>
    public static BeaconLink Open(BeaconRoute route, IReadOnlyList<InterfaceAddress> interfaces, ILogger logger)
    {
        UdpSocket? receive = null, send = null;
        try
        {
            receive = NewSocket(route);
            send = NewSocket(route);
            if (route.IsIPv6)
            {
                var membership = new IPv6MulticastOption(route.Destination.Address, route.InterfaceIndex);
                foreach (var s in new[] { receive, send })
                {
                    TryOption(() => s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, membership), "IPV6_JOIN_GROUP", logger);
                    TryOption(() => s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, route.InterfaceIndex), "IPV6_MULTICAST_IF", logger);
                }
            }
            send.Bind(route.SendBind);
            receive.Bind(route.ReceiveBind);
            var names = new Dictionary<long, string>();
            foreach (var e in interfaces) names.TryAdd(e.Index, e.Name);
            return new BeaconLink(route, receive, send, logger, names);
        }
        catch
        {
            receive?.Dispose();
            send?.Dispose();
            throw;
        }
    }

    private static UdpSocket NewSocket(BeaconRoute route)
    {
        var socket = new UdpSocket(route.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.EnableBroadcast = true;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            ReusePort(socket);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>SO_REUSEPORT where the system has it (CZMQ sets it too): several processes on one port.</summary>
    private static void ReusePort(UdpSocket socket)
    {
        int level, name;
        if (OperatingSystem.IsLinux()) (level, name) = (1, 15);                                 // SOL_SOCKET, SO_REUSEPORT
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) (level, name) = (0xFFFF, 0x200);
        else return;
        socket.SetRawSocketOption(level, name, BitConverter.GetBytes(1));
    }

    private static void TryOption(Action set, string what, ILogger logger)
    {
        try
        {
            set();
        }
        catch (SocketException e)
        {
            BeaconLog.OptionFailed(logger, what, e.Message); // as zbeacon: logged, the beacon goes on
        }
    }

    /// <summary>Starts the receive loop; <paramref name="onDatagram"/> runs for each datagram (on a pool thread).</summary>
    public void Start(Action<ReadOnlyMemory<byte>, IPEndPoint, string> onDatagram) => _ = ReceiveLoop(onDatagram);

    /// <summary>Sends one beacon to the route's destination.</summary>
    /// <exception cref="SocketException">The interface went away (or the send failed otherwise).</exception>
    public void Send(byte[] payload) => _send.SendTo(payload, SocketFlags.None, Route.Destination);

    private async Task ReceiveLoop(Action<ReadOnlyMemory<byte>, IPEndPoint, string> onDatagram)
    {
        await Task.Yield(); // the loop runs on the pool, never inside Configure
        var buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize);
        EndPoint any = new IPEndPoint(Route.IsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var token = _closed.Token;
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await _receive.ReceiveFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // e.g. ECONNRESET on Windows after an ICMP "port unreachable": nothing to do with
                // beacons; a short pause keeps a persistent error from spinning.
                BeaconLog.ReceiveFailed(_logger, e is SocketException se ? se.SocketErrorCode.ToString() : e.GetType().Name, e.Message);
                try
                {
                    await Task.Delay(10, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            if (r.RemoteEndPoint is not IPEndPoint sender) continue;
            try
            {
                var ip = sender.Address;
                string address = InterfaceAddress.Format(ip, ip.AddressFamily == AddressFamily.InterNetworkV6 ? _scopeNames.GetValueOrDefault(ip.ScopeId) : null);
                onDatagram(buffer.AsMemory(0, r.ReceivedBytes), sender, address);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                BeaconLog.DeliveryFailed(_logger, e);
            }
        }
    }

    /// <summary>
    /// Closes both sockets, which ends the receive loop. It does not wait for the loop: a datagram
    /// being handed over meanwhile is the owner's to drop (it checks that the link is still its own).
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _closed.Cancel();
        _receive.Dispose();
        _send.Dispose();
    }
}
