using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Tests.Infrastructure;

/// <summary>
/// A hand-driven ZMTP peer over a plain System.Net socket: builds exact bytes (greetings, READY,
/// commands, frames), sends them and reads what our library answers, with every read bounded.
/// </summary>
public sealed class RawPeer : IDisposable
{
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    public NetSocket Socket { get; }

    public RawPeer(NetSocket socket)
    {
        Socket = socket;
        Socket.NoDelay = true;
    }

    /// <summary>Connects to one of our bound sockets.</summary>
    public static RawPeer Connect(string endpoint)
    {
        var ep = Ports.Parse(endpoint);
        var s = new NetSocket(ep.AddressFamily, System.Net.Sockets.SocketType.Stream, ProtocolType.Tcp);
        s.Connect(ep);
        return new RawPeer(s);
    }

    // ---- byte builders ----

    /// <summary>A 64-byte ZMTP 3.x greeting.</summary>
    public static byte[] Greeting(byte major = 3, byte minor = 1, string mechanism = "NULL", bool asServer = false)
    {
        var g = new byte[64];
        g[0] = 0xFF;
        g[8] = 1;
        g[9] = 0x7F;
        g[10] = major;
        g[11] = minor;
        Encoding.ASCII.GetBytes(mechanism, g.AsSpan(12, 20));
        g[32] = asServer ? (byte)1 : (byte)0;
        return g;
    }

    /// <summary>A frame: flags, short or long size, body.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> body, bool more = false, bool command = false, bool forceLong = false)
    {
        byte flags = (byte)((more ? 1 : 0) | (command ? 4 : 0));
        bool isLong = forceLong || body.Length > 255;
        var f = new byte[(isLong ? 9 : 2) + body.Length];
        if (isLong)
        {
            f[0] = (byte)(flags | 2);
            BinaryPrimitives.WriteUInt64BigEndian(f.AsSpan(1), (ulong)body.Length);
            body.CopyTo(f.AsSpan(9));
        }
        else
        {
            f[0] = flags;
            f[1] = (byte)body.Length;
            body.CopyTo(f.AsSpan(2));
        }
        return f;
    }

    public static byte[] Frame(string body, bool more = false) => Frame(Encoding.UTF8.GetBytes(body), more);

    /// <summary>A command frame: name-len, name, data.</summary>
    public static byte[] Command(string name, ReadOnlySpan<byte> data, bool forceLong = false)
    {
        var body = new byte[1 + name.Length + data.Length];
        body[0] = (byte)name.Length;
        Encoding.ASCII.GetBytes(name, body.AsSpan(1));
        data.CopyTo(body.AsSpan(1 + name.Length));
        return Frame(body, command: true, forceLong: forceLong);
    }

    /// <summary>A metadata property list.</summary>
    public static byte[] Properties(params (string Name, byte[] Value)[] props)
    {
        var ms = new MemoryStream();
        var len = new byte[4];
        foreach (var (name, value) in props)
        {
            ms.WriteByte((byte)name.Length);
            ms.Write(Encoding.ASCII.GetBytes(name));
            BinaryPrimitives.WriteUInt32BigEndian(len, (uint)value.Length);
            ms.Write(len);
            ms.Write(value);
        }
        return ms.ToArray();
    }

    /// <summary>A READY command announcing <paramref name="socketType"/> (omitted when null).</summary>
    public static byte[] Ready(string? socketType, byte[]? identity = null, bool forceLong = false)
    {
        var props = new List<(string, byte[])>();
        if (socketType is not null) props.Add(("Socket-Type", Encoding.ASCII.GetBytes(socketType)));
        if (identity is not null) props.Add(("Identity", identity));
        return Command("READY", Properties([.. props]), forceLong);
    }

    public static byte[] Error(string reason) =>
        Command("ERROR", [(byte)reason.Length, .. Encoding.ASCII.GetBytes(reason)]);

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    // ---- I/O ----

    public void Send(params byte[][] chunks)
    {
        foreach (var c in chunks) Socket.Send(c);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes or fails the test (time-out or EOF).</summary>
    public byte[] ReadExactly(int count, TimeSpan? timeout = null)
    {
        var buf = new byte[count];
        var sw = Stopwatch.StartNew();
        var limit = timeout ?? ReadTimeout;
        int got = 0;
        while (got < count)
        {
            int left = (int)(limit - sw.Elapsed).TotalMilliseconds;
            if (left <= 0) Assert.Fail($"raw peer: timed out reading {count} bytes (got {got}: {Convert.ToHexString(buf, 0, got)})");
            Socket.ReceiveTimeout = left;
            int n;
            try
            {
                n = Socket.Receive(buf, got, count - got, SocketFlags.None);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            if (n == 0) Assert.Fail($"raw peer: connection closed after {got} of {count} bytes ({Convert.ToHexString(buf, 0, got)})");
            got += n;
        }
        return buf;
    }

    /// <summary>Reads one frame: (flags, body).</summary>
    public (byte Flags, byte[] Body) ReadFrame(TimeSpan? timeout = null)
    {
        var h = ReadExactly(2, timeout);
        long size = h[1];
        if ((h[0] & 2) != 0)
        {
            var rest = ReadExactly(7, timeout);
            size = (long)BinaryPrimitives.ReadUInt64BigEndian([h[1], .. rest]);
        }
        return (h[0], ReadExactly((int)size, timeout));
    }

    /// <summary>Reads one frame and returns its raw bytes (header included).</summary>
    public byte[] ReadRawFrame(TimeSpan? timeout = null)
    {
        var (flags, body) = ReadFrame(timeout);
        return (flags & 2) != 0 ? Frame(body, (flags & 1) != 0, (flags & 4) != 0, forceLong: true) : [flags, (byte)body.Length, .. body];
    }

    /// <summary>
    /// Greets (version <paramref name="minor"/>), reads our library's greeting, sends READY as
    /// <paramref name="socketType"/> and reads our READY. Returns the peer's READY properties.
    /// </summary>
    public Dictionary<string, byte[]> Handshake(string socketType, byte minor = 1, byte[]? identity = null)
    {
        Send(Greeting(minor: minor));
        var theirs = ReadExactly(64);
        Assert.Equal(0xFF, theirs[0]);
        Assert.Equal(0x7F, theirs[9]);
        Send(Ready(socketType, identity));
        var (flags, body) = ReadFrame();
        Assert.Equal(4, flags & 4);
        Assert.Equal("READY", Encoding.ASCII.GetString(body, 1, body[0]));
        return ParseProperties(body.AsSpan(1 + body[0]));
    }

    public static Dictionary<string, byte[]> ParseProperties(ReadOnlySpan<byte> data)
    {
        var d = new Dictionary<string, byte[]>();
        while (data.Length > 0)
        {
            int n = data[0];
            var name = Encoding.ASCII.GetString(data.Slice(1, n));
            int len = (int)BinaryPrimitives.ReadUInt32BigEndian(data.Slice(1 + n));
            d[name] = data.Slice(5 + n, len).ToArray();
            data = data.Slice(5 + n + len);
        }
        return d;
    }

    /// <summary>
    /// Reads (and returns) whatever arrives until the connection is closed by the other side (EOF or
    /// reset); fails the test when it is still open after <paramref name="within"/>.
    /// </summary>
    public byte[] ExpectClosed(TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(2);
        var sw = Stopwatch.StartNew();
        var got = new MemoryStream();
        var buf = new byte[64 * 1024];
        while (true)
        {
            int left = (int)(limit - sw.Elapsed).TotalMilliseconds;
            if (left <= 0) Assert.Fail($"raw peer: connection still open after {limit.TotalMilliseconds:0} ms (received {got.Length} bytes)");
            Socket.ReceiveTimeout = left;
            int n;
            try
            {
                n = Socket.Receive(buf);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                return got.ToArray();
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            if (n == 0) return got.ToArray();
            got.Write(buf, 0, n);
        }
    }

    /// <summary>True when nothing arrives and the connection stays open for <paramref name="period"/>.</summary>
    public bool StaysOpenAndQuiet(TimeSpan period)
    {
        Socket.ReceiveTimeout = (int)period.TotalMilliseconds;
        var buf = new byte[1];
        try
        {
            Socket.Receive(buf); // data or EOF: not quiet
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => Socket.Dispose();
}

/// <summary>A plain tcp listener our sockets connect to, handing out <see cref="RawPeer"/>s.</summary>
public sealed class RawListener : IDisposable
{
    private readonly TcpListener _listener;

    public RawListener(IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        var ep = (IPEndPoint)_listener.LocalEndpoint;
        Endpoint = ep.AddressFamily == AddressFamily.InterNetworkV6 ? $"tcp://[{ep.Address}]:{ep.Port}" : $"tcp://{ep.Address}:{ep.Port}";
    }

    public string Endpoint { get; }

    public RawPeer Accept(TimeSpan? timeout = null)
    {
        var task = _listener.AcceptSocketAsync();
        if (!task.Wait(timeout ?? TimeSpan.FromSeconds(5))) Assert.Fail("raw listener: no connection arrived");
        return new RawPeer(task.Result);
    }

    public void Dispose() => _listener.Stop();
}
