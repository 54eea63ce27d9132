using System.Text;
using Zmq.Toolkit;

namespace Zmq.Samples;

/// <summary>
/// The guide's Paranoid Pirate (ppqueue and ppworker, the protocol of RFC 6/PPP): a queue between
/// clients (ROUTER frontend) and workers (ROUTER backend) where both sides watch each other with
/// heartbeats, each on the toolkit's <see cref="Reactor"/> (CZMQ's zloop): a timer sends a
/// heartbeat every interval, and a ticket per peer, reset by every message from it, fires when
/// the peer has been silent for <see cref="Liveness"/> intervals. The queue then drops the worker;
/// a worker that stops hearing from its queue closes its socket and reconnects after a back-off
/// that doubles on every failure. The client is a Lazy Pirate: a request unanswered in time is sent
/// again on a new socket. Here worker A is overloaded once (the queue drops it; it reconnects),
/// then crashes for good holding a request; worker B takes over, and the client gets every reply.
/// </summary>
internal static class ParanoidPirate
{
    // The guide uses a 1 s heartbeat; a few tens of milliseconds keep this run short.
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(50);
    private const int Liveness = 3; // heartbeats missed before a peer counts as dead
    private static readonly TimeSpan PeerExpiry = HeartbeatInterval * Liveness;
    private static readonly TimeSpan ReconnectMin = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ReconnectMax = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMilliseconds(250);
    private const int Retries = 10; // generous: on a loaded machine the first requests may need a few
    private const int Requests = 8;

    // PPP's commands: a worker's message of one frame is READY or HEARTBEAT; anything else is a reply.
    private static readonly byte[] Ready = [1];
    private static readonly byte[] Heartbeat = [2];

    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        var queue = new PirateQueue();
        queue.Start(cancellationToken);
        Console.WriteLine($"queue: clients at {queue.Frontend}, workers at {queue.Backend}");

        var a = new PirateWorker("A", queue.Backend, overloadAt: 3, crashAt: 6);
        var b = new PirateWorker("B", queue.Backend);
        try
        {
            a.Start(cancellationToken);
            var client = Threads.Start(() => Client(queue.Frontend, cancellationToken));

            // Once A is dead, a new worker takes its place; the queue needs nothing but its READY.
            if (await Task.WhenAny(a.Finished, client) == a.Finished) b.Start(cancellationToken);

            int answered = await client; // throws if a request went unanswered
            Console.WriteLine($"client: {answered} of {Requests} requests answered");
        }
        finally
        {
            await b.StopAsync();
            await a.StopAsync();
            await queue.StopAsync();
        }
    }

    /// <summary>The Lazy Pirate client: send, wait a while for the reply, else resend on a new socket (a REQ cannot send twice).</summary>
    private static int Client(string queue, CancellationToken cancellationToken)
    {
        var client = new ReqSocket(">" + queue) { Linger = TimeSpan.Zero };
        try
        {
            int answered = 0;
            for (int sequence = 1; sequence <= Requests && !cancellationToken.IsCancellationRequested; sequence++)
            {
                string request = $"request {sequence}";
                for (int attempt = 1; ; attempt++)
                {
                    client.SendString(request);
                    if (client.TryReceive(RequestTimeout, out var reply))
                    {
                        using (reply)
                        {
                            if (reply.GetString(0) != request) throw new InvalidOperationException($"'{request}' got '{reply.GetString(0)}'");
                            Console.WriteLine($"client: '{request}' answered by {reply.GetString(1)}");
                        }
                        answered++;
                        break;
                    }
                    if (attempt == Retries) throw new TimeoutException($"no reply to '{request}' after {Retries} attempts: the queue seems to be offline");
                    Console.WriteLine($"client: no reply to '{request}' in {RequestTimeout.TotalMilliseconds} ms, resending");
                    client.Dispose(); // the unanswered request goes with it
                    client = new ReqSocket(">" + queue) { Linger = TimeSpan.Zero };
                }
            }
            return answered;
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>
    /// The queue: idle workers in least-recently-used order; a request goes to the first of them.
    /// It reads the frontend only while some worker is idle, so requests wait in the frontend
    /// socket meanwhile. Every registered worker gets a heartbeat each interval; its ticket fires
    /// when it has been silent too long, and it is dropped (a worker it does not know must send READY again).
    /// </summary>
    private sealed class PirateQueue
    {
        private readonly RouterSocket _frontend = new("@tcp://127.0.0.1:*") { Linger = TimeSpan.Zero };
        private readonly RouterSocket _backend = new("@tcp://127.0.0.1:*") { Linger = TimeSpan.Zero };
        private readonly Reactor _reactor = new() { TicketDelay = PeerExpiry };
        private readonly Dictionary<string, (byte[] Id, Ticket Expiry)> _workers = []; // by routing id (our workers name their sockets)
        private readonly List<string> _idle = [];
        private Task _running = Task.CompletedTask;

        public PirateQueue()
        {
            _reactor.AddReader(_backend, OnWorker);
            _reactor.AddTimer(HeartbeatInterval, 0, _ =>
            {
                foreach (var (id, _) in _workers.Values) _backend.SendFrames(id, Heartbeat); // ROUTER: never blocks
            });
        }

        public string Frontend => _frontend.LastEndpoint!;

        public string Backend => _backend.LastEndpoint!;

        public void Start(CancellationToken cancellationToken) => _running = Threads.Start(() =>
        {
            try
            {
                _reactor.Run(cancellationToken);
            }
            finally
            {
                _reactor.Dispose();
                _frontend.Dispose();
                _backend.Dispose();
            }
        });

        public Task StopAsync()
        {
            _reactor.Stop(); // from any thread; one that comes before Run has started still ends it
            return _running;
        }

        /// <summary>[worker id, READY or HEARTBEAT], or a reply: [worker id, client id, "", body...].</summary>
        private void OnWorker(Socket backend)
        {
            using var message = backend.Receive();
            string name = message.GetString(0);
            if (message.Count == 2 && message.GetSpan(1).SequenceEqual(Ready))
            {
                if (!_workers.ContainsKey(name)) _workers[name] = (message.ToArray(0), _reactor.AddTicket(_ => Expire(name)));
                MakeIdle(name, $"queue: {name} is ready");
                return;
            }
            if (!_workers.TryGetValue(name, out var worker))
            {
                Console.WriteLine($"queue: ignoring a {(message.Count == 2 ? "heartbeat" : "late reply")} from {name}: dropped, it must say READY again");
                return;
            }
            worker.Expiry.Reset(); // any message is a sign of life
            if (message.Count < 4) return; // a HEARTBEAT, or not a reply
            using var reply = Envelope.Pop(message, out _); // [client id, "", body...]
            _frontend.Send(reply);
            MakeIdle(name, null);
        }

        /// <summary>[client id, "", request]: to the least recently used idle worker.</summary>
        private void OnClient(Socket frontend)
        {
            using var request = frontend.Receive();
            string name = _idle[0];
            _idle.RemoveAt(0);
            using var routed = Envelope.Push(request, _workers[name].Id); // [worker id, client id, "", request]
            _backend.Send(routed);
            ReadClientsWhileIdleWorkers();
        }

        private void MakeIdle(string name, string? why)
        {
            if (!_idle.Contains(name)) _idle.Add(name);
            if (why is not null) Console.WriteLine($"{why} ({_idle.Count} idle)");
            ReadClientsWhileIdleWorkers();
        }

        private void Expire(string name)
        {
            _workers.Remove(name);
            _idle.Remove(name);
            Console.WriteLine($"queue: {name} silent for {PeerExpiry.TotalMilliseconds} ms, dropped ({_idle.Count} idle)");
            ReadClientsWhileIdleWorkers();
        }

        private void ReadClientsWhileIdleWorkers()
        {
            if (_idle.Count > 0) _reactor.AddReader(_frontend, OnClient);
            else _reactor.RemoveReader(_frontend);
        }
    }

    /// <summary>
    /// A worker on a reactor of its own: READY on connecting, a heartbeat each interval, a ticket
    /// reset by every message from the queue. When the ticket fires, the socket is closed and a
    /// new one connects after the back-off (a new socket gets a new routing id: A.1, A.2...).
    /// <paramref name="overloadAt"/> and <paramref name="crashAt"/> make it misbehave as the guide's ppworker does.
    /// </summary>
    private sealed class PirateWorker(string name, string queue, int overloadAt = 0, int crashAt = 0)
    {
        private readonly Reactor _reactor = new() { TicketDelay = PeerExpiry };
        private DealerSocket? _socket;
        private string _id = "";
        private int _generation;
        private Ticket? _queueExpiry;
        private TimeSpan _backoff = ReconnectMin;
        private int _served;
        private Task _running = Task.CompletedTask;

        /// <summary>Completes when the worker's thread has ended (stopped or crashed).</summary>
        public Task Finished => _running;

        public void Start(CancellationToken cancellationToken) => _running = Threads.Start(() =>
        {
            try
            {
                Connect();
                _reactor.AddTimer(HeartbeatInterval, 0, _ => _socket?.TrySend(Heartbeat)); // one that cannot go at once is not worth waiting for
                _reactor.Run(cancellationToken);
            }
            finally
            {
                _socket?.Dispose();
                _reactor.Dispose();
            }
        });

        public Task StopAsync()
        {
            _reactor.Stop();
            return _running;
        }

        private void Connect()
        {
            _id = $"{name}.{++_generation}";
            _socket = new DealerSocket { RoutingId = Encoding.UTF8.GetBytes(_id), Linger = TimeSpan.Zero };
            _socket.Connect(queue);
            _socket.Send(Ready);
            _reactor.AddReader(_socket, OnQueue);
            _queueExpiry = _reactor.AddTicket(_ => Reconnect());
            Console.WriteLine($"{_id}: connected, READY sent");
        }

        private void Reconnect()
        {
            Console.WriteLine($"{_id}: nothing from the queue for {PeerExpiry.TotalMilliseconds} ms, reconnecting in {_backoff.TotalMilliseconds} ms");
            _reactor.RemoveReader(_socket!);
            _socket!.Dispose();
            _socket = null;
            _reactor.AddTimer(_backoff, 1, _ => Connect());
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, ReconnectMax.Ticks));
        }

        /// <summary>A heartbeat, or a request: [client id, "", body].</summary>
        private void OnQueue(Socket socket)
        {
            using var message = socket.Receive();
            _queueExpiry!.Reset();
            _backoff = ReconnectMin; // the queue is there: the next failure starts the back-off again
            if (message.Count != 3) return; // a HEARTBEAT (one frame), or not a request
            _served++;
            if (_served == crashAt)
            {
                Console.WriteLine($"{_id}: simulating a crash, holding '{message.GetString(2)}'");
                _reactor.Stop(); // the thread ends and the socket closes: no goodbye in PPP
                return;
            }
            if (_served == overloadAt)
            {
                Console.WriteLine($"{_id}: simulating an overload with '{message.GetString(2)}'");
                Thread.Sleep(PeerExpiry * 2); // no heartbeats meanwhile: the queue gives up on this worker
            }
            using var reply = new Message().Add(message.GetSpan(0)).AddEmpty().Add(message.GetSpan(2)).Add(_id);
            socket.Send(reply);
        }
    }
}
