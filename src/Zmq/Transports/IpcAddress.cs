using System.Net;
using System.Net.Sockets;
using System.Text;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Transports;

/// <summary>
/// An <c>ipc://path</c> endpoint on a real Unix domain socket (interoperable with libzmq's ipc).
/// <c>ipc://@name</c> is Linux's abstract namespace; <c>ipc://*</c> binds a fresh unique path.
/// </summary>
internal sealed class IpcAddress : StreamAddress
{
    /// <summary>sun_path holds 108 bytes on Linux (104 on macOS) including the terminating NUL.</summary>
    private static readonly int MaxPathBytes = OperatingSystem.IsLinux() ? 107 : 103;

    private readonly string _path;      // as given, '@' marks the abstract namespace
    private bool _created;              // we made the socket file, so we remove it at unbind

    private IpcAddress(string path) => _path = path;

    public static IpcAddress Parse(string address, string endpoint, SocketType type, bool bind)
    {
        if (address.Length == 0) throw Invalid(endpoint, type, "missing path, e.g. ipc:///tmp/feed.sock");
        if (address == "*")
        {
            if (!bind) throw Invalid(endpoint, type, "a wildcard path can only be bound, not connected to");
            address = Path.Combine(Path.GetTempPath(), "zmq-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
        }
        if (address.StartsWith('@') && !OperatingSystem.IsLinux())
            throw Invalid(endpoint, type, "abstract ipc names (ipc://@name) exist only on Linux");
        int bytes = Encoding.UTF8.GetByteCount(address);
        if (bytes > MaxPathBytes)
            throw new ZmqException(ZmqError.InvalidEndpoint,
                $"ipc path is {bytes} bytes long; the operating system allows at most {MaxPathBytes} (use a shorter path, e.g. under /tmp)", type, endpoint);
        return new IpcAddress(address);
    }

    private UnixDomainSocketEndPoint EndPoint() =>
        new(_path.StartsWith('@') ? "\0" + _path[1..] : _path);

    public override System.Net.EndPoint BindEndPoint(string endpoint, Engine.ConnectionSettings settings) => EndPoint();

    public override System.Net.EndPoint? ConnectEndPoint() => EndPoint();

    public override NetSocket NewSocket(System.Net.EndPoint ep) => new(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);

    /// <summary>
    /// A socket file left behind by a crashed process is removed before binding, as libzmq does.
    /// Unlike libzmq we first check that nobody listens there: a live socket is "address in use",
    /// not something to steal.
    /// </summary>
    public override void BeforeBind(NetSocket listener, string endpoint, SocketType type)
    {
        _created = true;
        if (_path.StartsWith('@') || !File.Exists(_path)) return;
        using (var probe = NewSocket(EndPoint()))
        {
            try
            {
                probe.Connect(EndPoint());
                throw new ZmqException(ZmqError.AddressInUse, "another socket is listening on this ipc path", type, endpoint);
            }
            catch (SocketException)
            {
                // nobody listens: a stale file
            }
        }
        try
        {
            if (new FileInfo(_path).Length == 0) File.Delete(_path); // socket files are empty; never delete real data
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    public override void AfterUnbind()
    {
        if (!_created || _path.StartsWith('@')) return;
        try
        {
            File.Delete(_path);
        }
        catch (IOException ex)
        {
            UnbindError = ex;
        }
        catch (UnauthorizedAccessException ex)
        {
            UnbindError = ex;
        }
    }

    public override string Describe(System.Net.EndPoint bound) => "ipc://" + _path;

    private static ZmqException Invalid(string endpoint, SocketType type, string why) =>
        new(ZmqError.InvalidEndpoint, $"invalid endpoint: {why}", type, endpoint);
}
