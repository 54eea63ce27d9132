using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Zmq.Cli.Tests;

/// <summary><c>zmq cat stream</c> against plain TCP programs (TcpClient, TcpListener) in the test process.</summary>
public sealed class CatStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static TcpClient Client(int port)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var c = new TcpClient { ReceiveTimeout = (int)Wait.TotalMilliseconds, SendTimeout = (int)Wait.TotalMilliseconds };
            try
            {
                c.Connect(IPAddress.Loopback, port);
                return c;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                c.Dispose();
                Thread.Sleep(50); // cat is still binding
            }
        }
    }

    private static string Read(NetworkStream ns, int expected)
    {
        var buf = new byte[1024];
        var sb = new StringBuilder();
        while (sb.Length < expected)
        {
            int n = ns.Read(buf);
            if (n == 0) break;
            sb.Append(Encoding.ASCII.GetString(buf, 0, n));
        }
        return sb.ToString();
    }

    private static (string Id, string Data) Fields(string? line)
    {
        Assert.NotNull(line);
        var f = line.Split('\t');
        Assert.True(f.Length == 2 && f[0].StartsWith("0x", StringComparison.Ordinal), line);
        return (f[0], f[1]);
    }

    [Fact]
    public void Cat_stream_binds_prints_connects_data_and_disconnects_and_answers_by_id()
    {
        string ep = PyPeer.FreeTcpEndpoint();
        int port = int.Parse(ep[(ep.LastIndexOf(':') + 1)..]);
        using var cat = CliProcess.Start("cat", "stream", ep, "-n", "5", "--timeout", "15"); // no @: stream binds
        using var a = Client(port);
        var (id, empty) = Fields(cat.ReadLine(Wait));
        Assert.Equal("", empty); // the connect
        var ns = a.GetStream();
        ns.Write("GET / HTTP/1.0\r\n\r\n"u8);
        var (id2, data) = Fields(cat.ReadLine(Wait));
        Assert.Equal(id, id2);
        Assert.Equal("0x" + Convert.ToHexStringLower("GET / HTTP/1.0\r\n\r\n"u8), data); // CR and LF: not text, so hex
        cat.WriteLine("just one field");            // skipped: no TAB
        cat.WriteLine($"{id}\tone\ttoo many");     // skipped: three fields
        cat.WriteLine("0xzz\tdata");                // skipped: not hex
        cat.WriteLine("0x00ffffffff\tnobody");      // skipped: no such connection
        cat.WriteLine($"{id}\tHTTP/1.0 200 OK");
        cat.WriteLine($"{id}\t");                   // closes it, after the answer
        Assert.Equal("HTTP/1.0 200 OK", Read(ns, int.MaxValue)); // up to the end of the stream
        using (var b = Client(port))
        {
            var (idB, e) = Fields(cat.ReadLine(Wait));
            Assert.Equal("", e);
            Assert.NotEqual(id, idB);
            b.GetStream().Write("x"u8);
            Assert.Equal((idB, "x"), Fields(cat.ReadLine(Wait)));
            b.Close();
            Assert.Equal((idB, ""), Fields(cat.ReadLine(Wait))); // the disconnect
        }
        var r = cat.WaitForExit(Wait);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("a stream line is the connection's routing id", r.Stderr);
        Assert.Contains("not hex", r.Stderr);
        Assert.Contains("no peer with routing id 0x00ffffffff", r.Stderr);
    }

    [Fact]
    public void Cat_stream_connects_to_a_tcp_listener()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var cat = CliProcess.Start("cat", "stream", $">tcp://127.0.0.1:{port}", "-n", "2", "--timeout", "15");
            Assert.True(listener.Server.Poll((int)Wait.TotalMilliseconds * 1000, SelectMode.SelectRead));
            using var peer = listener.AcceptTcpClient();
            peer.ReceiveTimeout = (int)Wait.TotalMilliseconds;
            var (id, empty) = Fields(cat.ReadLine(Wait));
            Assert.Equal("", empty);
            peer.GetStream().Write("hello"u8);
            Assert.Equal((id, "hello"), Fields(cat.ReadLine(Wait)));
            // Done (-n 2): cat half-closes and waits (LINGER) for its peer to close, as a TCP program does at end of stream.
            Assert.Equal("", Read(peer.GetStream(), int.MaxValue));
            peer.Close();
            var r = cat.WaitForExit(Wait);
            Assert.True(r.ExitCode == 0, r.ToString());
        }
        finally
        {
            listener.Stop();
        }
    }
}
