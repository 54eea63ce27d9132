namespace Zmq.Tests.Infrastructure;

/// <summary>
/// Creates sockets with test defaults (bounded waits, short intervals, small linger) in a context of
/// its own, and disposes them all at the end of the test.
/// </summary>
public sealed class SocketScope : IDisposable
{
    public static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    private readonly List<Socket> _sockets = [];

    /// <summary>A scope over a context of its own; with <paramref name="portablePoller"/> its connections run on the portable poller even where epoll exists.</summary>
    public SocketScope(bool portablePoller = false) => Context = new Context { PortablePoller = portablePoller };

    public Context Context { get; }

    /// <summary>Applies the test defaults: every blocking call bounded, intervals short, linger small.</summary>
    public static T Defaults<T>(T socket) where T : Socket
    {
        socket.ReceiveTimeout = ReceiveTimeout;
        socket.SendTimeout = SendTimeout;
        socket.Linger = TimeSpan.FromMilliseconds(200);
        socket.HandshakeInterval = TimeSpan.FromSeconds(10); // generous: under CI load (three test projects at once on 2 cores) 2 s was seen to expire; tests of the time-out set their own
        socket.ReconnectInterval = TimeSpan.FromMilliseconds(20);
        return socket;
    }

    public T Add<T>(T socket) where T : Socket
    {
        Defaults(socket);
        lock (_sockets) _sockets.Add(socket);
        return socket;
    }

    public PushSocket Push() => Add(new PushSocket(context: Context));
    public PullSocket Pull() => Add(new PullSocket(context: Context));
    public ReqSocket Req() => Add(new ReqSocket(context: Context));
    public RepSocket Rep() => Add(new RepSocket(context: Context));
    public DealerSocket Dealer() => Add(new DealerSocket(context: Context));
    public RouterSocket Router() => Add(new RouterSocket(context: Context));
    public PubSocket Pub() => Add(new PubSocket(context: Context));
    public SubSocket Sub() => Add(new SubSocket(context: Context));
    public XPubSocket XPub() => Add(new XPubSocket(context: Context));
    public XSubSocket XSub() => Add(new XSubSocket(context: Context));
    public PairSocket Pair() => Add(new PairSocket(context: Context));

    public Socket Create(SocketType type) => type switch
    {
        SocketType.Push => Push(),
        SocketType.Pull => Pull(),
        SocketType.Req => Req(),
        SocketType.Rep => Rep(),
        SocketType.Dealer => Dealer(),
        SocketType.Router => Router(),
        SocketType.Pub => Pub(),
        SocketType.Sub => Sub(),
        SocketType.XPub => XPub(),
        SocketType.XSub => XSub(),
        SocketType.Pair => Pair(),
        _ => Add(Socket.Create(type, context: Context)),
    };

    /// <summary>
    /// Makes <paramref name="server"/> a CURVE server with a fresh key pair bound to
    /// <paramref name="bind"/> and <paramref name="client"/> a CURVE client connected to it; returns
    /// the server's keys (e.g. to start a second client).
    /// </summary>
    public static CurveKeyPair CurvePair(Socket server, Socket client, string bind = "tcp://127.0.0.1:*")
    {
        var keys = CurveKeyPair.Generate();
        server.MakeCurveServer(keys);
        server.Bind(bind);
        client.MakeCurveClient(keys.PublicKey);
        client.Connect(server.LastEndpoint!);
        return keys;
    }

    public void Dispose()
    {
        Socket[] all;
        lock (_sockets) all = [.. _sockets];
        for (int i = all.Length - 1; i >= 0; i--)
        {
            all[i].Linger = TimeSpan.Zero;
            all[i].Dispose();
        }
        Context.Dispose();
    }
}
