using System.Diagnostics;
using System.Text;
using Zmq.Toolkit;

namespace Zmq.Samples;

/// <summary>
/// The guide's Majordomo (mdbroker, mdwrkapi, mdcliapi), the protocol of RFC 7/MDP 0.1: a
/// service-oriented broker. Workers connect with a DEALER and register for a service by name
/// (READY); clients send a REQUEST naming the service; the broker, one ROUTER for both, queues
/// requests per service and hands each to the service's least recently used idle worker, and the
/// REPLY back to the client. Broker and workers heartbeat each other (the broker on the toolkit's
/// <see cref="Reactor"/>: a timer for its heartbeats, a ticket per worker for its expiry); a worker
/// leaves with DISCONNECT. The broker also answers RFC 8's "mmi.service" (200: the service has
/// workers, 404: it has none), which the client uses to wait until "echo" is there.
/// </summary>
internal static class Majordomo
{
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(50); // the guide: 2.5 s
    private const int Liveness = 3;
    private static readonly TimeSpan WorkerExpiry = HeartbeatInterval * Liveness;
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMilliseconds(500);
    private const int Retries = 5;

    // MDP 0.1 on the wire: every command starts with an empty frame and the protocol's header
    // (a REQ client's empty frame is added and removed by its socket).
    private static readonly byte[] Empty = [];
    private static readonly byte[] ClientHeader = "MDPC01"u8.ToArray();
    private static readonly byte[] WorkerHeader = "MDPW01"u8.ToArray();

    private enum Command : byte { Ready = 1, Request = 2, Reply = 3, Heartbeat = 4, Disconnect = 5 }

    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        var broker = new Broker();
        broker.Start(cancellationToken);
        Console.WriteLine($"broker: at {broker.Endpoint}");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = new[] { "echo-1", "echo-2" }
            .Select(name => Threads.Start(() => new Worker(broker.Endpoint, "echo", name).Run(Echo(name), stop.Token)))
            .ToArray();
        try
        {
            using var client = new Client(broker.Endpoint);
            for (int i = 0; client.Request("mmi.service", "echo")?[0] != "200"; i++)
            {
                if (i == 100) throw new TimeoutException("the echo service did not appear");
                await Task.Delay(10, cancellationToken); // the workers are still connecting
            }
            Console.WriteLine("client: mmi.service says 'echo' is there (200)");
            Console.WriteLine($"client: mmi.service says 'coffee' is {client.Request("mmi.service", "coffee")?[0]}");

            for (int i = 1; i <= 8; i++) Check(client, $"hello {i}");
            // Idle for longer than a worker's expiry: the heartbeats keep both sides registered.
            await Task.Delay(WorkerExpiry * 2, cancellationToken);
            Check(client, "still there?");
        }
        finally
        {
            stop.Cancel(); // each worker says DISCONNECT and closes
            int[] served = await Task.WhenAll(workers);
            for (int i = 0; i < 200 && broker.WorkerCount > 0; i++) await Task.Delay(10, CancellationToken.None); // until the broker has heard
            await broker.StopAsync();
            Console.WriteLine($"broker: {broker.Routed} requests routed, {broker.HeartbeatsReceived} heartbeats from workers; workers served {string.Join(" + ", served)}");
        }
    }

    private static void Check(Client client, string text)
    {
        var reply = client.Request("echo", text) ?? throw new TimeoutException($"no reply to '{text}'");
        if (reply is not [var echoed] || echoed != text) throw new InvalidOperationException($"'{text}' came back as '{string.Join("|", reply)}'");
        Console.WriteLine($"client: 'echo' answered '{echoed}'");
    }

    private static Func<byte[][], byte[][]> Echo(string name) => body =>
    {
        Console.WriteLine($"{name}: echoing '{Encoding.UTF8.GetString(body[0])}'");
        return body;
    };

    /// <summary>mdcliapi: a synchronous client (REQ); a request without a reply in time is sent again on a new socket.</summary>
    private sealed class Client(string broker) : IDisposable
    {
        private ReqSocket _socket = Connect(broker);

        /// <summary>The reply's body, or null when the broker did not answer after <see cref="Retries"/> attempts.</summary>
        public string[]? Request(string service, params string[] body)
        {
            for (int attempt = 1; attempt <= Retries; attempt++)
            {
                _socket.SendFrames(["MDPC01", service, .. body]); // REQUEST: the header, the service, the body
                if (_socket.TryReceive(RequestTimeout, out var reply))
                {
                    using (reply)
                    {
                        // REPLY: the header, the service, the body
                        if (reply.Count < 2 || !reply.GetSpan(0).SequenceEqual(ClientHeader) || reply.GetString(1) != service)
                            throw new InvalidOperationException("not an MDP reply to this request");
                        return [.. reply.ToArrays().Skip(2).Select(Encoding.UTF8.GetString)];
                    }
                }
                Console.WriteLine($"client: no reply from the broker in {RequestTimeout.TotalMilliseconds} ms, retrying");
                _socket.Dispose();
                _socket = Connect(broker);
            }
            return null;
        }

        private static ReqSocket Connect(string broker) => new(">" + broker) { Linger = TimeSpan.Zero };

        public void Dispose() => _socket.Dispose();
    }

    /// <summary>
    /// mdwrkapi: one worker for one service over a DEALER. It sends READY, answers REQUESTs,
    /// heartbeats the broker, and counts the broker dead after <see cref="Liveness"/> silent
    /// intervals (or when told DISCONNECT): then it reconnects on a new socket and registers again.
    /// </summary>
    private sealed class Worker(string broker, string service, string name)
    {
        private int _generation;

        /// <summary>Serves until <paramref name="stop"/>; returns how many requests it answered.</summary>
        public int Run(Func<byte[][], byte[][]> handle, CancellationToken stop)
        {
            var socket = Connect();
            var clock = Stopwatch.StartNew();
            var heartbeatAt = clock.Elapsed + HeartbeatInterval;
            int liveness = Liveness, served = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if (socket.TryReceive(HeartbeatInterval, out var message))
                    {
                        liveness = Liveness; // anything from the broker is a sign of life
                        byte[][] frames;
                        using (message) frames = message.ToArrays();
                        // ["", "MDPW01", command, ...]
                        if (frames.Length < 3 || !frames[1].AsSpan().SequenceEqual(WorkerHeader) || frames[2].Length != 1) continue;
                        switch ((Command)frames[2][0])
                        {
                            case Command.Request when frames.Length >= 6: // [.., client address, "", body...]
                                byte[][] reply = handle(frames[5..]);
                                socket.SendFrames([Empty, WorkerHeader, [(byte)Command.Reply], frames[3], Empty, .. reply]);
                                served++;
                                break;
                            case Command.Disconnect:
                                Console.WriteLine($"{name}: DISCONNECT from the broker, registering again");
                                socket.Dispose();
                                socket = Connect();
                                break;
                        }
                    }
                    else if (--liveness == 0)
                    {
                        Console.WriteLine($"{name}: the broker is silent, reconnecting in {ReconnectDelay.TotalMilliseconds} ms");
                        socket.Dispose();
                        if (stop.WaitHandle.WaitOne(ReconnectDelay)) break;
                        socket = Connect();
                        liveness = Liveness;
                    }
                    if (clock.Elapsed >= heartbeatAt)
                    {
                        socket.SendFrames([Empty, WorkerHeader, [(byte)Command.Heartbeat]]);
                        heartbeatAt = clock.Elapsed + HeartbeatInterval;
                    }
                }
                if (!socket.IsDisposed) socket.SendFrames([Empty, WorkerHeader, [(byte)Command.Disconnect]]); // goodbye
            }
            finally
            {
                socket.Dispose(); // Linger: the DISCONNECT still goes out
            }
            return served;
        }

        private DealerSocket Connect()
        {
            var socket = new DealerSocket { RoutingId = Encoding.UTF8.GetBytes($"{name}#{++_generation}"), Linger = TimeSpan.FromSeconds(1) };
            socket.Connect(broker);
            socket.SendFrames([Empty, WorkerHeader, [(byte)Command.Ready], Encoding.UTF8.GetBytes(service)]);
            return socket;
        }
    }

    /// <summary>
    /// mdbroker: one ROUTER for clients and workers, told apart by the header; one reactor thread.
    /// A service holds its waiting requests and its idle workers; a request for a service with no
    /// workers waits for one (RFC 7 says such requests should expire after a while; this sample keeps them).
    /// </summary>
    private sealed class Broker
    {
        private readonly RouterSocket _socket = new("@tcp://127.0.0.1:*") { Linger = TimeSpan.Zero };
        private readonly Reactor _reactor = new() { TicketDelay = WorkerExpiry };
        private readonly Dictionary<string, Service> _services = [];
        private readonly Dictionary<string, WorkerEntry> _workers = []; // by routing id
        private Task _running = Task.CompletedTask;
        private int _workerCount;

        private sealed class Service(string name)
        {
            public string Name { get; } = name;
            public Queue<byte[][]> Requests { get; } = new(); // [client address, body...]
            public List<WorkerEntry> Idle { get; } = [];      // least recently used first
        }

        private sealed class WorkerEntry(byte[] id, Service service)
        {
            public byte[] Id { get; } = id;
            public string Name { get; } = Encoding.UTF8.GetString(id);
            public Service Service { get; } = service;
            public Ticket? Expiry { get; set; }
        }

        public Broker()
        {
            _reactor.AddReader(_socket, OnMessage);
            _reactor.AddTimer(HeartbeatInterval, 0, _ =>
            {
                foreach (var worker in _workers.Values) Send(worker.Id, Command.Heartbeat);
            });
        }

        public string Endpoint => _socket.LastEndpoint!;

        /// <summary>Workers registered (readable from any thread).</summary>
        public int WorkerCount => Volatile.Read(ref _workerCount);

        public int Routed { get; private set; }

        public int HeartbeatsReceived { get; private set; }

        public void Start(CancellationToken cancellationToken) => _running = Threads.Start(() =>
        {
            try
            {
                _reactor.Run(cancellationToken);
            }
            finally
            {
                _reactor.Dispose();
                _socket.Dispose();
            }
        });

        public Task StopAsync()
        {
            _reactor.Stop();
            return _running;
        }

        /// <summary>[sender, "", "MDPC01", service, body...] from a client, [sender, "", "MDPW01", command, ...] from a worker.</summary>
        private void OnMessage(Socket socket)
        {
            byte[][] frames;
            using (var message = socket.Receive()) frames = message.ToArrays();
            if (frames.Length < 4 || frames[1].Length != 0) return; // not MDP: dropped
            if (frames[2].AsSpan().SequenceEqual(ClientHeader)) OnClient(frames[0], Encoding.UTF8.GetString(frames[3]), frames[4..]);
            else if (frames[2].AsSpan().SequenceEqual(WorkerHeader) && frames[3].Length == 1) OnWorker(frames[0], (Command)frames[3][0], frames[4..]);
        }

        private void OnClient(byte[] client, string service, byte[][] body)
        {
            if (service == "mmi.service") // RFC 8: does the service named in the body have workers?
            {
                bool known = body.Length > 0 && _services.TryGetValue(Encoding.UTF8.GetString(body[0]), out var s) && _workers.Values.Any(w => w.Service == s);
                _socket.SendFrames([client, Empty, ClientHeader, Encoding.UTF8.GetBytes(service), known ? "200"u8.ToArray() : "404"u8.ToArray()]);
                return;
            }
            var target = GetService(service);
            target.Requests.Enqueue([client, .. body]);
            Dispatch(target);
        }

        private void OnWorker(byte[] id, Command command, byte[][] rest)
        {
            string key = Convert.ToHexString(id);
            bool known = _workers.TryGetValue(key, out var worker);
            worker?.Expiry?.Reset(); // any command is a heartbeat
            switch (command)
            {
                case Command.Ready when !known && rest.Length == 1 && !Encoding.UTF8.GetString(rest[0]).StartsWith("mmi.", StringComparison.Ordinal):
                    worker = new WorkerEntry(id, GetService(Encoding.UTF8.GetString(rest[0])));
                    worker.Expiry = _reactor.AddTicket(_ => Delete(worker, "expired: no heartbeat", disconnect: false));
                    _workers[key] = worker;
                    Volatile.Write(ref _workerCount, _workers.Count);
                    Console.WriteLine($"broker: {worker.Name} READY for '{worker.Service.Name}'");
                    MakeIdle(worker);
                    break;
                case Command.Reply when known && rest.Length >= 3 && rest[1].Length == 0: // [client address, "", body...]
                    _socket.SendFrames([rest[0], Empty, ClientHeader, Encoding.UTF8.GetBytes(worker!.Service.Name), .. rest[2..]]);
                    MakeIdle(worker);
                    break;
                case Command.Heartbeat when known:
                    HeartbeatsReceived++;
                    break;
                case Command.Disconnect:
                    if (known) Delete(worker!, "DISCONNECT", disconnect: false);
                    break;
                default: // a valid but unexpected command (READY twice, anything before READY): RFC 7 says DISCONNECT
                    if (known) Delete(worker!, $"unexpected {command}", disconnect: true);
                    else Send(id, Command.Disconnect);
                    break;
            }
        }

        private Service GetService(string name)
        {
            if (!_services.TryGetValue(name, out var service)) _services[name] = service = new Service(name);
            return service;
        }

        private void MakeIdle(WorkerEntry worker)
        {
            worker.Service.Idle.Add(worker);
            Dispatch(worker.Service);
        }

        /// <summary>Each waiting request to the least recently used idle worker, while there are both.</summary>
        private void Dispatch(Service service)
        {
            while (service.Idle.Count > 0 && service.Requests.Count > 0)
            {
                var worker = service.Idle[0];
                service.Idle.RemoveAt(0);
                byte[][] request = service.Requests.Dequeue();
                _socket.SendFrames([worker.Id, Empty, WorkerHeader, [(byte)Command.Request], request[0], Empty, .. request[1..]]);
                Routed++;
            }
        }

        private void Delete(WorkerEntry worker, string why, bool disconnect)
        {
            if (disconnect) Send(worker.Id, Command.Disconnect);
            worker.Expiry?.Delete();
            worker.Service.Idle.Remove(worker);
            _workers.Remove(Convert.ToHexString(worker.Id));
            Volatile.Write(ref _workerCount, _workers.Count);
            Console.WriteLine($"broker: {worker.Name} removed ({why})");
        }

        private void Send(byte[] worker, Command command) => _socket.SendFrames([worker, Empty, WorkerHeader, [(byte)command]]);
    }
}
