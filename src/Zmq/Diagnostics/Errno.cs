using System.Net.Sockets;

namespace Zmq.Diagnostics;

/// <summary>
/// errno values for monitor events, as libzmq reports them on this platform (Linux and the BSDs /
/// macOS differ; on Windows libzmq reports the WSA codes, which are <see cref="SocketError"/>'s values).
/// </summary>
internal static class Errno
{
    private static readonly bool s_bsd = OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() || OperatingSystem.IsIOS();

    public static int EPipe => 32;
    public static int EAccess => 13;
    public static int ETimedOut => s_bsd ? 60 : 110;
    public static int EInProgress => OperatingSystem.IsWindows() ? (int)SocketError.InProgress : s_bsd ? 36 : 115;
    public static int EConnReset => s_bsd ? 54 : 104;
    public static int EAddrInUse => s_bsd ? 48 : 98;
    public static int EAddrNotAvail => s_bsd ? 49 : 99;
    public static int ENoDev => 19;
    public static int EInval => 22;

    /// <summary>The errno of a socket error.</summary>
    public static int Of(SocketError error)
    {
        if (OperatingSystem.IsWindows()) return (int)error;
        return error switch
        {
            SocketError.TimedOut => ETimedOut,
            SocketError.ConnectionReset => EConnReset,
            SocketError.ConnectionRefused => s_bsd ? 61 : 111,
            SocketError.ConnectionAborted => s_bsd ? 53 : 103,
            SocketError.AddressAlreadyInUse => EAddrInUse,
            SocketError.AddressNotAvailable => EAddrNotAvail,
            SocketError.AccessDenied => EAccess,
            SocketError.HostUnreachable => s_bsd ? 65 : 113,
            SocketError.NetworkUnreachable => s_bsd ? 51 : 101,
            SocketError.NetworkDown => s_bsd ? 50 : 100,
            SocketError.Shutdown => EPipe,
            SocketError.InProgress or SocketError.WouldBlock => EInProgress,
            SocketError.TooManyOpenSockets => 24, // EMFILE
            SocketError.NoBufferSpaceAvailable => s_bsd ? 55 : 105,
            SocketError.InvalidArgument => EInval,
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => ENoDev, // libzmq: ENODEV for an unresolvable name
            _ => EInval,
        };
    }

    /// <summary>The errno of an exception from a bind, accept or close.</summary>
    public static int Of(Exception ex) => ex switch
    {
        SocketException se => Of(se.SocketErrorCode),
        ZmqException { Error: ZmqError.AddressInUse } => EAddrInUse,
        ZmqException { Error: ZmqError.AddressNotAvailable } => EAddrNotAvail,
        ZmqException { Error: ZmqError.HostNotFound } => ENoDev,
        ZmqException { InnerException: { } inner } => Of(inner),
        UnauthorizedAccessException => EAccess,
        IOException => 5, // EIO
        _ => EInval,
    };
}
