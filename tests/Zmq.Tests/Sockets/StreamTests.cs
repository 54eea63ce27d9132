using System.Net;
using System.Net.Sockets;
using System.Text;
using Zmq.Tests.Infrastructure;

namespace Zmq.Tests.Sockets;

/// <summary>STREAM: raw TCP with plain programs (TcpClient/TcpListener), connect/disconnect notices, close by an empty frame, both sides.</summary>
public sealed class StreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static StreamSocket Stream(SocketScope scope, Action<StreamSocket>? configure = null) =>
        scope.Add(new StreamSocket(context: scope.Context, configure: configure));

    private static int Port(Socket s) => int.Parse(s.LastEndpoint![(s.LastEndpoint!.LastIndexOf(':') + 1)..]);

    private static TcpClient ConnectClient(Socket s)
    {
        var c = new TcpClient();
        c.Connect(IPAddress.Loopback, Port(s));
        c.ReceiveTimeout = (int)Wait.TotalMilliseconds;
        c.SendTimeout = (int)Wait.TotalMilliseconds;
        return c;
    }

    /// <summary>Receives until the data frames of one id add up to <paramref name="expected"/> (TCP keeps no message boundaries).</summary>
    private static string ReceiveText(StreamSocket s, byte[] id, int expected)
    {
        var sb = new StringBuilder();
        while (sb.Length < expected)
        {
            using var m = s.Receive();
            Assert.Equal(2, m.Count);
            Assert.Equal(id, m.ToArray(0));
            sb.Append(m.GetString(1));
        }
        return sb.ToString();
    }

    private static string ReadText(NetworkStream ns, int expected)
    {
        var buf = new byte[4096];
        var sb = new StringBuilder();
        while (sb.Length < expected)
        {
            int n = ns.Read(buf);
            if (n == 0) break;
            sb.Append(Encoding.UTF8.GetString(buf, 0, n));
        }
        return sb.ToString();
    }

    private static byte[] ReceiveNotice(StreamSocket s)
    {
        using var m = s.Receive();
        Assert.Equal(2, m.Count);
        Assert.Equal(0, m.GetSpan(1).Length);
        return m.ToArray(0);
    }

    [Fact]
    public void A_bound_stream_serves_an_http_like_exchange_and_closes()
    {
        using var scope = new SocketScope();
        var server = Stream(scope);
        server.Bind("tcp://127.0.0.1:*");
        using var client = ConnectClient(server);
        var id = ReceiveNotice(server);
        Assert.Equal(5, id.Length);
        Assert.Equal(0, id[0]);
        var ns = client.GetStream();
        const string request = "GET / HTTP/1.0\r\n\r\n";
        ns.Write(Encoding.ASCII.GetBytes(request));
        Assert.Equal(request, ReceiveText(server, id, request.Length));
        const string response = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi";
        server.Send(id, Encoding.ASCII.GetBytes(response));
        server.Close(id); // written first, then closed
        Assert.Equal(response, ReadText(ns, int.MaxValue)); // reads to the end of the stream
        var ex = Assert.Throws<ZmqException>(() => server.Send(id, "late"u8));
        Assert.Equal(ZmqError.HostUnreachable, ex.Error);
        Assert.False(server.TryReceive(TimeSpan.FromMilliseconds(100), out _)); // our own close is not announced
    }

    [Fact]
    public void A_peer_that_disconnects_is_announced_and_others_are_still_served()
    {
        using var scope = new SocketScope();
        var server = Stream(scope);
        server.Bind("tcp://127.0.0.1:*");
        using var a = ConnectClient(server);
        var idA = ReceiveNotice(server);
        using var b = ConnectClient(server);
        var idB = ReceiveNotice(server);
        Assert.NotEqual(idA, idB);
        a.GetStream().Write("bye"u8);
        Assert.Equal("bye", ReceiveText(server, idA, 3));
        a.Close();
        Assert.Equal(idA, ReceiveNotice(server)); // disconnect after its data
        b.GetStream().Write("still here"u8);
        Assert.Equal("still here", ReceiveText(server, idB, 10));
        server.Send(idB, "yes"u8);
        Assert.Equal("yes", ReadText(b.GetStream(), 3));
        Assert.Equal(ZmqError.HostUnreachable, Assert.Throws<ZmqException>(() => server.Send(idA, "x"u8)).Error);
    }

    [Fact]
    public void Several_peers_each_get_their_own_replies()
    {
        using var scope = new SocketScope();
        var server = Stream(scope);
        server.Bind("tcp://127.0.0.1:*");
        var clients = Enumerable.Range(0, 4).Select(_ => ConnectClient(server)).ToList();
        try
        {
            var ids = new HashSet<string>();
            for (int i = 0; i < clients.Count; i++) ids.Add(Convert.ToHexString(ReceiveNotice(server)));
            Assert.Equal(4, ids.Count);
            for (int i = 0; i < clients.Count; i++) clients[i].GetStream().Write(Encoding.ASCII.GetBytes($"c{i}"));
            for (int i = 0; i < clients.Count; i++)
            {
                using var m = server.Receive();
                server.Send(m.ToArray(0), Encoding.ASCII.GetBytes("re " + m.GetString(1)));
            }
            for (int i = 0; i < clients.Count; i++) Assert.Equal($"re c{i}", ReadText(clients[i].GetStream(), 4 + (i >= 10 ? 1 : 0)));
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [Fact]
    public void Without_notify_only_data_arrives()
    {
        using var scope = new SocketScope();
        var server = Stream(scope, s => s.Notify = false);
        server.Bind("tcp://127.0.0.1:*");
        using var client = ConnectClient(server);
        client.GetStream().Write("data"u8);
        using (var m = server.Receive())
        {
            Assert.Equal(2, m.Count);
            Assert.StartsWith("d", m.GetString(1));
        }
        client.Close();
        Assert.False(server.TryReceive(TimeSpan.FromMilliseconds(200), out _)); // no disconnect notice either
    }

    [Fact]
    public void A_connecting_stream_talks_to_a_tcp_listener_with_its_connect_routing_id()
    {
        using var scope = new SocketScope();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var s = Stream(scope);
            s.ConnectRoutingId = "conn-1"u8.ToArray();
            Assert.Equal("conn-1"u8.ToArray(), s.ConnectPeer($"tcp://127.0.0.1:{port}"));
            Assert.True(listener.Server.Poll((int)(Wait.TotalMilliseconds * 1000), SelectMode.SelectRead));
            using var accepted = listener.AcceptTcpClient();
            accepted.ReceiveTimeout = (int)Wait.TotalMilliseconds;
            Assert.Equal("conn-1"u8.ToArray(), ReceiveNotice(s));
            s.Send("conn-1"u8, "hello"u8);
            var ns = accepted.GetStream();
            Assert.Equal("hello", ReadText(ns, 5));
            ns.Write("world"u8);
            Assert.Equal("world", ReceiveText(s, "conn-1"u8.ToArray(), 5));
            accepted.Close();
            Assert.Equal("conn-1"u8.ToArray(), ReceiveNotice(s));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void Two_streams_talk_raw_bytes_and_close_ends_the_connect()
    {
        using var scope = new SocketScope();
        var server = Stream(scope);
        server.Bind("tcp://127.0.0.1:*");
        var client = Stream(scope);
        var cid = client.ConnectPeer(server.LastEndpoint!);
        Assert.Equal(cid, ReceiveNotice(client));
        var sid = ReceiveNotice(server);
        client.Send(cid, "ping"u8);
        Assert.Equal("ping", ReceiveText(server, sid, 4));
        server.Send(sid, "pong"u8);
        Assert.Equal("pong", ReceiveText(client, cid, 4));
        client.Close(cid);
        Assert.Equal(sid, ReceiveNotice(server)); // the server sees the end
        Assert.False(server.TryReceive(TimeSpan.FromMilliseconds(300), out _)); // and the client does not connect again
    }

    [Fact]
    public void Bad_sends_are_refused_and_security_and_inproc_do_not_apply()
    {
        using var scope = new SocketScope();
        var s = Stream(scope);
        s.Bind("tcp://127.0.0.1:*");
        Assert.Equal(ZmqError.InvalidMessage, Assert.Throws<ZmqException>(() => s.Send("only one"u8)).Error);
        Assert.Equal(ZmqError.HostUnreachable, Assert.Throws<ZmqException>(() => s.Send(new byte[] { 0, 1, 2, 3, 4 }, "x"u8)).Error);
        Assert.Equal(ZmqError.InvalidOption, Assert.Throws<ZmqException>(() => s.PlainServer = true).Error);
        Assert.Equal(ZmqError.InvalidOption, Assert.Throws<ZmqException>(() => s.CurveServer = true).Error);
        Assert.Equal(ZmqError.NotSupported, Assert.Throws<ZmqException>(() => s.Bind(Endpoints.NewInproc())).Error);
        using var created = Socket.Create(SocketType.Stream, context: scope.Context);
        Assert.Equal(SocketType.Stream, created.Type);
    }

    [Fact]
    public void Stream_options_are_in_the_option_table()
    {
        using var scope = new SocketScope();
        var s = Stream(scope);
        s.SetOption(SocketOption.StreamNotify, false);
        Assert.False(s.Notify);
        s.SetOption(SocketOption.ConnectRoutingId, "abc"u8.ToArray());
        Assert.Equal("abc"u8.ToArray(), s.ConnectRoutingId);
    }
    [Fact]
    public void Large_data_goes_both_ways_under_a_small_receive_queue()
    {
        using var scope = new SocketScope();
        var server = Stream(scope, s => s.ReceiveHighWatermark = 2);
        server.Bind("tcp://127.0.0.1:*");
        using var client = ConnectClient(server);
        var id = ReceiveNotice(server);
        var big = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(big);
        var ns = client.GetStream();
        var writer = new Thread(() => ns.Write(big)) { IsBackground = true };
        writer.Start();
        var got = new MemoryStream();
        while (got.Length < big.Length)
        {
            using var m = server.Receive();
            Assert.Equal(id, m.ToArray(0));
            got.Write(m.GetSpan(1));
        }
        Assert.True(writer.Join(Wait));
        Assert.True(big.AsSpan().SequenceEqual(got.ToArray()));
        server.Send(id, big);
        var back = new byte[big.Length];
        ns.ReadExactly(back);
        Assert.True(big.AsSpan().SequenceEqual(back));
    }

    [Fact]
    public void Peers_that_reset_or_send_garbage_do_not_disturb_the_others()
    {
        using var scope = new SocketScope();
        var server = Stream(scope);
        server.Bind("tcp://127.0.0.1:*");
        using var good = ConnectClient(server);
        var goodId = ReceiveNotice(server);
        for (int i = 0; i < 5; i++)
        {
            var bad = ConnectClient(server);
            bad.GetStream().Write([0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F]); // a ZMTP greeting's start: just bytes here
            bad.Client.LingerState = new LingerOption(true, 0); // close with a reset
            bad.Dispose();
        }
        good.GetStream().Write("ok?"u8);
        int notices = 0;
        var deadline = DateTime.UtcNow + Wait;
        string text = "";
        while (!text.Contains("ok?") && DateTime.UtcNow < deadline)
        {
            if (!server.TryReceive(TimeSpan.FromMilliseconds(200), out var m)) continue;
            using (m)
            {
                if (m.ToArray(0).AsSpan().SequenceEqual(goodId)) text += m.GetString(1);
                else if (m.GetSpan(1).IsEmpty) notices++;
            }
        }
        Assert.Equal("ok?", text);
        server.Send(goodId, "yes"u8);
        Assert.Equal("yes", ReadText(good.GetStream(), 3));
        while (notices < 10 && server.TryReceive(TimeSpan.FromSeconds(2), out var n))
            using (n) if (n.GetSpan(1).IsEmpty) notices++;
        Assert.Equal(10, notices); // each bad peer: its connect and its disconnect
    }

    [Fact]
    public void A_stream_works_over_ipc()
    {
        using var scope = new SocketScope();
        var server = Stream(scope);
        server.Bind(Endpoints.NewIpc());
        var client = Stream(scope);
        var cid = client.ConnectPeer(server.LastEndpoint!);
        Assert.Equal(cid, ReceiveNotice(client));
        var sid = ReceiveNotice(server);
        client.Send(cid, "over ipc"u8);
        Assert.Equal("over ipc", ReceiveText(server, sid, 8));
    }
}
