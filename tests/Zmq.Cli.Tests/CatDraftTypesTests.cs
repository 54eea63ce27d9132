namespace Zmq.Cli.Tests;

/// <summary><c>zmq cat server</c> and <c>client</c> (draft types) against our own sockets in the test process.</summary>
public sealed class CatDraftTypesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public void Cat_server_prints_the_routing_id_and_answers_the_client_it_names()
    {
        string ep = PyPeer.FreeTcpEndpoint();
        using var cat = CliProcess.Start("cat", "server", "@" + ep, "-n", "2", "--timeout", "15");
        using var client = new ClientSocket(">" + ep) { ReceiveTimeout = Wait, Linger = TimeSpan.Zero };
        client.SendString("ping");
        string line = cat.ReadLine(Wait) ?? "";
        var fields = line.Split('\t');
        Assert.True(fields.Length == 2 && uint.TryParse(fields[0], out uint id) && id != 0, line);
        Assert.Equal("ping", fields[1]);
        cat.WriteLine("notanumber\tignored"); // skipped, with one stderr line
        cat.WriteLine($"{fields[0]}\tpong");
        Assert.Equal("pong", client.ReceiveString());
        client.SendString("bye");
        var r = cat.WaitForExit(Wait);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("routing id (decimal", r.Stderr);
    }

    [Fact]
    public void Cat_client_sends_lines_and_prints_replies()
    {
        using var server = new ServerSocket { ReceiveTimeout = Wait, Linger = TimeSpan.Zero };
        server.Bind("tcp://127.0.0.1:*");
        using var cat = CliProcess.Start("cat", "client", server.LastEndpoint!, "-n", "1", "--timeout", "15");
        cat.WriteLine("question");
        using (var m = server.Receive())
        {
            Assert.Equal("question", m.GetString(0));
            server.SendString(m.RoutingId, "answer");
        }
        var r = cat.WaitForExit(Wait);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(["answer"], r.Stdout);
    }

    [Fact]
    public void Cat_peer_says_each_connects_routing_id_and_uses_ids_both_ways()
    {
        using var ours = new PeerSocket { ReceiveTimeout = Wait, Linger = TimeSpan.Zero };
        ours.Bind("tcp://127.0.0.1:*");
        using var cat = CliProcess.Start("cat", "peer", ours.LastEndpoint!, "-n", "1", "--timeout", "15");
        var deadline = DateTime.UtcNow + Wait;
        while (!cat.Stderr.Contains("connected", StringComparison.Ordinal) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        string id = cat.Stderr.Trim().Split(' ')[^1];
        Assert.StartsWith($"zmq cat: connected {ours.LastEndpoint} ", cat.Stderr);
        cat.WriteLine($"{id}\thello");
        using (var m = ours.Receive())
        {
            Assert.Equal("hello", m.GetString(0));
            ours.SendString(m.RoutingId, "back");
        }
        var r = cat.WaitForExit(Wait);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal([$"{id}\tback"], r.Stdout);
    }
}
