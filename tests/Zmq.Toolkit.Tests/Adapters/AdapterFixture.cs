namespace Zmq.Toolkit.Tests.Adapters;

/// <summary>Sockets for the adapter tests: one context per test, short linger and time-outs, pairs over inproc or tcp.</summary>
public abstract class AdapterFixture : IDisposable
{
    /// <summary>The bound on every wait a test makes (tests never hang).</summary>
    protected static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    /// <summary>Long enough for a wait that must not end to show that it did not.</summary>
    protected static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);

    protected readonly Context Context = new();
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        Context.Dispose();
        GC.SuppressFinalize(this);
    }

    protected T Track<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    protected T Make<T>(Func<Context, T> create, int hwm = 1000) where T : Socket
    {
        var s = Track(create(Context));
        s.Linger = TimeSpan.Zero;
        s.SendTimeout = Long;
        s.ReceiveTimeout = Long;
        s.SendHighWatermark = hwm;
        s.ReceiveHighWatermark = hwm;
        return s;
    }

    /// <summary>A bound <typeparamref name="TBind"/> and a connected <typeparamref name="TConnect"/> over the transport, connected before it returns.</summary>
    protected (TBind Bound, TConnect Connected) Pair<TBind, TConnect>(string transport, Func<Context, TBind> bind, Func<Context, TConnect> connect, int hwm = 1000)
        where TBind : Socket where TConnect : Socket
    {
        var b = Make(bind, hwm);
        b.Bind(transport == "tcp" ? "tcp://127.0.0.1:*" : $"inproc://adapters-{Guid.NewGuid():N}");
        var c = Make(connect, hwm);
        c.Connect(b.LastEndpoint!);
        return (b, c);
    }

    /// <summary>PUSH (connected) to PULL (bound).</summary>
    protected (PushSocket Push, PullSocket Pull) Pipeline(string transport, int hwm = 1000)
    {
        var (pull, push) = Pair(transport, c => new PullSocket(context: c), c => new PushSocket(context: c), hwm);
        return (push, pull);
    }

    protected static byte[] Bytes(int n) => BitConverter.GetBytes(n);

    protected static int Number(Message m) => BitConverter.ToInt32(m.GetSpan(0));

    /// <summary>A pooled one-frame message holding <paramref name="n"/>.</summary>
    protected static Message Numbered(int n)
    {
        var m = Message.Rent();
        BitConverter.TryWriteBytes(m.AddFrame(4), n);
        return m;
    }
}
