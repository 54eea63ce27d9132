using System.Net.Sockets;
using System.Text;
using Zmq.Tests.Infrastructure;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Tests.Transports;

/// <summary>
/// ipc-specific behaviour (Transports/IpcAddress.cs): stale socket files, a path in use, the
/// sun_path length limit, <c>ipc://*</c>, removal of the socket file, Linux abstract names. The
/// scenarios shared with tcp and inproc run in Contract/IpcContracts.cs.
/// </summary>
public sealed class IpcTransportTests : IDisposable
{
    private readonly SocketScope S = new();
    private readonly List<string> _paths = [];

    public void Dispose()
    {
        S.Dispose();
        foreach (var p in _paths)
        {
            try
            {
                File.Delete(p);
            }
            catch (IOException)
            {
            }
        }
    }

    private string NewPath()
    {
        var p = Endpoints.NewIpcPath();
        _paths.Add(p);
        return p;
    }

    private static int MaxPathBytes => OperatingSystem.IsLinux() ? 107 : 103;

    /// <summary>
    /// Leaves a socket file with nobody behind it, as a process that crashed while bound leaves one
    /// (the kernel closes the socket, nobody unlinks the file). .NET unlinks the file it bound on
    /// Dispose, so the file is renamed to <paramref name="path"/> first: rename keeps the socket inode.
    /// </summary>
    private static void LeaveStaleSocketFile(string path)
    {
        var tmp = path + ".bound";
        using (var raw = new NetSocket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified))
        {
            raw.Bind(new UnixDomainSocketEndPoint(tmp));
            raw.Listen(1);
            File.Move(tmp, path);
        }
        Assert.True(File.Exists(path), "the stale socket file should remain after the raw socket is disposed");
        var refused = Assert.Throws<SocketException>(() => Endpoints.ConnectUnix(path).Dispose());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode); // a socket file, nobody listening
    }

    private static void AssertFlows(string endpoint, PullSocket pull, SocketScope s, string text)
    {
        var push = s.Push();
        push.Connect(endpoint);
        push.SendString(text);
        Assert.Equal(text, pull.ReceiveString());
    }

    [Fact]
    public void StaleSocketFile_FromACrashedProcess_IsReplacedByBind()
    {
        var path = NewPath();
        LeaveStaleSocketFile(path);
        var pull = S.Pull();
        pull.Bind("ipc://" + path);
        Assert.Equal("ipc://" + path, pull.LastEndpoint);
        AssertFlows("ipc://" + path, pull, S, "after the stale file");
        pull.Dispose();
        Assert.False(File.Exists(path), "the socket file is removed when the socket closes");
    }

    [Fact]
    public void Bind_WhereARawSocketListens_IsAddressInUse_AndLeavesItListening()
    {
        var path = NewPath();
        using var raw = new NetSocket(AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, ProtocolType.Unspecified);
        raw.Bind(new UnixDomainSocketEndPoint(path));
        raw.Listen(4);

        var pull = S.Pull();
        var ex = Assert.Throws<ZmqException>(() => pull.Bind("ipc://" + path));
        Assert.Equal(ZmqError.AddressInUse, ex.Error);
        Assert.Equal("ipc://" + path, ex.Endpoint);
        Assert.Null(pull.LastEndpoint);

        Assert.True(File.Exists(path), "the live socket's file was deleted");
        using var client = Endpoints.ConnectUnix(path); // still reaches the raw listener
        using var accepted = raw.Accept();
    }

    [Fact]
    public void Bind_WhereOurSocketIsBound_IsAddressInUse_AndTheFirstKeepsWorking()
    {
        var ep = Endpoints.NewIpc();
        var first = S.Pull();
        first.Bind(ep);
        var second = S.Pull();
        var ex = Assert.Throws<ZmqException>(() => second.Bind(ep));
        Assert.Equal(ZmqError.AddressInUse, ex.Error);
        Assert.Contains("listening", ex.Message);

        second.Dispose(); // must not remove the first socket's file
        Assert.True(File.Exists(Endpoints.IpcPath(ep)));
        AssertFlows(ep, first, S, "still the first");

        first.Unbind(ep);
        var third = S.Pull();
        third.Bind(ep); // free again
        AssertFlows(ep, third, S, "now the third");
    }

    [Fact]
    public void Bind_OverARegularFile_FailsAndNeverDeletesIt()
    {
        var path = NewPath();
        File.WriteAllText(path, "precious data, not a socket");
        var pull = S.Pull();
        var ex = Assert.Throws<ZmqException>(() => pull.Bind("ipc://" + path));
        Assert.Equal(ZmqError.AddressInUse, ex.Error);
        Assert.Equal("precious data, not a socket", File.ReadAllText(path));
    }

    [Fact]
    public void PathTooLong_IsInvalidEndpoint_NamingTheLimit()
    {
        var dir = Path.GetTempPath();
        var tooLong = Path.Combine(dir, new string('x', MaxPathBytes + 1 - Encoding.UTF8.GetByteCount(dir)));
        Assert.Equal(MaxPathBytes + 1, Encoding.UTF8.GetByteCount(tooLong));
        foreach (var connect in new[] { false, true })
        {
            var s = connect ? (Socket)S.Push() : S.Pull();
            var ex = Assert.Throws<ZmqException>(() =>
            {
                if (connect) s.Connect("ipc://" + tooLong);
                else s.Bind("ipc://" + tooLong);
            });
            Assert.Equal(ZmqError.InvalidEndpoint, ex.Error);
            Assert.Equal("ipc://" + tooLong, ex.Endpoint);
            Assert.Contains(MaxPathBytes.ToString(), ex.Message);
            Assert.Contains((MaxPathBytes + 1).ToString(), ex.Message);
            Assert.Null(s.LastEndpoint);
        }
        Assert.False(File.Exists(tooLong));
    }

    [Fact]
    public void PathLimit_IsCountedInUtf8Bytes()
    {
        // 2-byte characters: fewer characters than the limit, more bytes.
        var dir = Path.GetTempPath();
        int room = MaxPathBytes - Encoding.UTF8.GetByteCount(dir);
        var path = Path.Combine(dir, new string('é', room / 2 + 1));
        Assert.True(path.Length <= MaxPathBytes);
        var ex = Assert.Throws<ZmqException>(() => S.Pull().Bind("ipc://" + path));
        Assert.Equal(ZmqError.InvalidEndpoint, ex.Error);
        Assert.Contains(MaxPathBytes.ToString(), ex.Message);
    }

    [Fact]
    public void PathOfExactlyTheLimit_Works()
    {
        var dir = Path.GetTempPath();
        var name = $"zmq-limit-{Guid.NewGuid():N}-";
        var path = Path.Combine(dir, name + new string('y', MaxPathBytes - Encoding.UTF8.GetByteCount(dir) - name.Length));
        _paths.Add(path);
        Assert.Equal(MaxPathBytes, Encoding.UTF8.GetByteCount(path));
        var pull = S.Pull();
        pull.Bind("ipc://" + path);
        Assert.True(File.Exists(path));
        AssertFlows("ipc://" + path, pull, S, "at the limit");
    }

    [Fact]
    public void WildcardBind_LastEndpointNamesARealSocketPath()
    {
        var pull = S.Pull();
        pull.Bind("ipc://*");
        var ep = pull.LastEndpoint!;
        Assert.StartsWith("ipc://", ep);
        var path = Endpoints.IpcPath(ep);
        Assert.DoesNotContain("*", path);
        Assert.True(Path.IsPathRooted(path), path);
        Assert.True(File.Exists(path), $"{path} does not exist");
        using (Endpoints.ConnectUnix(path)) { } // something listens there
        AssertFlows(ep, pull, S, "via the wildcard path");

        var other = S.Pull();
        other.Bind("ipc://*");
        Assert.NotEqual(ep, other.LastEndpoint); // a fresh path each time

        pull.Unbind(ep); // by the path LastEndpoint named
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Wildcard_CannotBeConnectedTo()
    {
        var ex = Assert.Throws<ZmqException>(() => S.Push().Connect("ipc://*"));
        Assert.Equal(ZmqError.InvalidEndpoint, ex.Error);
    }

    [Theory]
    [InlineData("ipc://")]
    public void MissingPath_IsInvalidEndpoint(string endpoint)
    {
        var bind = Assert.Throws<ZmqException>(() => S.Pull().Bind(endpoint));
        Assert.Equal(ZmqError.InvalidEndpoint, bind.Error);
        var connect = Assert.Throws<ZmqException>(() => S.Push().Connect(endpoint));
        Assert.Equal(ZmqError.InvalidEndpoint, connect.Error);
    }

    [Fact]
    public void SocketFile_IsRemovedByUnbind()
    {
        var ep = Endpoints.NewIpc();
        var pull = S.Pull();
        pull.Bind(ep);
        Assert.True(File.Exists(Endpoints.IpcPath(ep)));
        pull.Unbind(ep);
        Assert.False(File.Exists(Endpoints.IpcPath(ep)));
    }

    [Fact]
    public void SocketFile_IsRemovedByDispose_ForFixedAndWildcardPaths()
    {
        var ep = Endpoints.NewIpc();
        var pull = S.Pull();
        pull.Bind(ep);
        pull.Bind("ipc://*");
        var wildcard = Endpoints.IpcPath(pull.LastEndpoint!);
        Assert.True(File.Exists(Endpoints.IpcPath(ep)));
        Assert.True(File.Exists(wildcard));
        pull.Dispose();
        Assert.False(File.Exists(Endpoints.IpcPath(ep)), "fixed path left behind");
        Assert.False(File.Exists(wildcard), "wildcard path left behind");
    }

    [Fact]
    public void ConnectBeforeBind_ThenTheFileAppears()
    {
        var ep = Endpoints.NewIpc();
        var push = S.Push();
        push.Connect(ep); // no file yet: the connector retries
        push.SendString("early");
        Thread.Sleep(50); // let an attempt fail on the missing file first
        var pull = S.Pull();
        pull.Bind(ep);
        Assert.Equal("early", pull.ReceiveString());
    }

    [SkippableFact]
    public void AbstractName_Works_AndLeavesNoFile()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "abstract socket names exist only on Linux");
        var name = "@zmq-test-" + Guid.NewGuid().ToString("N");
        var ep = "ipc://" + name;
        var pull = S.Pull();
        pull.Bind(ep);
        Assert.Equal(ep, pull.LastEndpoint);
        Assert.False(File.Exists(name), "an abstract name must not create a file (relative path '@...')");
        AssertFlows(ep, pull, S, "abstract");

        var rep = S.Rep();
        var repEp = "ipc://@zmq-test-rep-" + Guid.NewGuid().ToString("N");
        rep.Bind(repEp);
        var req = S.Req();
        req.Connect(repEp);
        req.SendFrames("a", "b");
        Assert.Equal(["a", "b"], rep.ReceiveStrings());
        rep.SendString("back");
        Assert.Equal("back", req.ReceiveString());

        var second = S.Pull();
        var ex = Assert.Throws<ZmqException>(() => second.Bind(ep));
        Assert.Equal(ZmqError.AddressInUse, ex.Error);

        pull.Dispose(); // the name is released with the socket
        var again = S.Pull();
        again.Bind(ep);
        AssertFlows(ep, again, S, "abstract again");
        again.Unbind(ep); // and with Unbind
        var third = S.Pull();
        third.Bind(ep);
        AssertFlows(ep, third, S, "abstract after unbind");
    }

    [SkippableFact]
    public void AbstractName_ConnectBeforeBind()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "abstract socket names exist only on Linux");
        var ep = "ipc://@zmq-test-" + Guid.NewGuid().ToString("N");
        var push = S.Push();
        push.Connect(ep);
        push.SendString("early");
        var pull = S.Pull();
        pull.Bind(ep);
        Assert.Equal("early", pull.ReceiveString());
    }
}
