using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zmq.Toolkit;

/// <summary>
/// CZMQ's zbeacon as an actor: a <see cref="Beacon"/> driven by zbeacon's commands on an
/// <see cref="Toolkit.Actor"/>'s pipe, each a multipart message of strings and bytes:
/// <c>CONFIGURE port [interface]</c> (answered with one frame: the address in use, empty when it
/// failed; the interface frame is an extension, zbeacon takes ZSYS_INTERFACE only),
/// <c>PUBLISH payload interval-ms</c> (the interval as decimal text, 0 for 1 s),
/// <c>SILENCE</c>, <c>SUBSCRIBE prefix</c>, <c>UNSUBSCRIBE</c>, <c>VERBOSE</c> and <c>$TERM</c>.
/// Received beacons arrive on the pipe as two frames, <c>[ipaddress, payload]</c>. Where zbeacon
/// asserts (an unknown command, a payload over 255 bytes) the command is logged and ignored; the
/// typed methods throw before sending instead. A beacon the owner does not read is dropped once
/// the pipe is full (its high-water mark), never blocking the beacon.
/// </summary>
/// <example>
/// <code>
/// using var beacon = new BeaconActor();
/// string address = beacon.Configure(5670);             // zsock_send (b, "si", "CONFIGURE", 5670)
/// beacon.Subscribe(""u8);                                // every beacon
/// if (beacon.TryReceive(TimeSpan.FromSeconds(2), out var heard)) Console.WriteLine(heard.Address);
/// // or: new Poller(beacon.Actor.Pipe) and read [address, payload] from the pipe
/// </code>
/// </example>
public sealed class BeaconActor : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private readonly ILogger _logger;
    private readonly Actor _actor;
    private readonly Queue<BeaconMessage> _early = new();

    /// <summary>Starts the actor (nothing is opened until CONFIGURE).</summary>
    /// <param name="context">The context of the actor's pipe (the default one when null).</param>
    /// <param name="logger">Where failures go, and with VERBOSE what the beacon does.</param>
    public BeaconActor(Context? context = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _actor = new Actor(Run, context, _logger);
    }

    /// <summary>The actor: its pipe takes zbeacon's commands and gives <c>[ipaddress, payload]</c> messages.</summary>
    public Actor Actor => _actor;

    /// <summary>CONFIGURE: opens UDP <paramref name="port"/> and returns the address in use.</summary>
    /// <param name="port">The UDP port, 1 to 65535.</param>
    /// <param name="networkInterface">An interface name or address (an extension); null: ZSYS_INTERFACE or the first broadcast interface.</param>
    /// <returns>The interface's address (or <c>*</c>); empty when no interface fits or the port cannot be bound.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 1 to 65535.</exception>
    /// <exception cref="TimeoutException">The actor did not answer within 10 s.</exception>
    public string Configure(int port, string? networkInterface = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var pipe = _actor.Pipe;
        string portText = port.ToString(CultureInfo.InvariantCulture);
        if (networkInterface is null) pipe.SendFrames("CONFIGURE", portText);
        else pipe.SendFrames("CONFIGURE", portText, networkInterface);
        long deadline = Clock.NowMs + (long)CommandTimeout.TotalMilliseconds;
        while (true)
        {
            var left = TimeSpan.FromMilliseconds(Math.Max(0, deadline - Clock.NowMs));
            if (!pipe.TryReceive(left, out var reply)) throw new TimeoutException("the beacon actor did not answer CONFIGURE");
            using (reply)
            {
                if (reply.Count == 1) return reply.GetString(0);
                if (reply.Count == 2) _early.Enqueue(ToBeacon(reply)); // a beacon that came first: kept for TryReceive
            }
        }
    }

    /// <summary>PUBLISH: broadcasts <paramref name="payload"/> at once and every <paramref name="interval"/> (zero: 1 s).</summary>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is longer than 255 bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative or beyond int.MaxValue ms.</exception>
    public void Publish(ReadOnlySpan<byte> payload, TimeSpan interval = default)
    {
        if (payload.Length > Beacon.MaxPayloadLength)
            throw new ArgumentException($"a beacon is at most {Beacon.MaxPayloadLength} bytes, not {payload.Length}", nameof(payload));
        if (interval < TimeSpan.Zero || interval.TotalMilliseconds > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "0 (the default, 1 s) to int.MaxValue ms");
        string ms = ((int)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        _actor.Pipe.SendFrames("PUBLISH"u8.ToArray(), payload.ToArray(), Encoding.UTF8.GetBytes(ms));
    }

    /// <summary>PUBLISH with the UTF-8 bytes of <paramref name="payload"/>.</summary>
    public void Publish(string payload, TimeSpan interval = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Publish(Encoding.UTF8.GetBytes(payload), interval);
    }

    /// <summary>SILENCE: stops publishing.</summary>
    public void Silence() => _actor.Send("SILENCE");

    /// <summary>SUBSCRIBE: delivers beacons starting with <paramref name="prefix"/> (empty: all).</summary>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is longer than 255 bytes.</exception>
    public void Subscribe(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length > Beacon.MaxPayloadLength)
            throw new ArgumentException($"a beacon filter is at most {Beacon.MaxPayloadLength} bytes, not {prefix.Length}", nameof(prefix));
        _actor.Pipe.SendFrames("SUBSCRIBE"u8.ToArray(), prefix.ToArray());
    }

    /// <summary>SUBSCRIBE with the UTF-8 bytes of <paramref name="prefix"/>.</summary>
    public void Subscribe(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Subscribe(Encoding.UTF8.GetBytes(prefix));
    }

    /// <summary>UNSUBSCRIBE: delivers nothing more.</summary>
    public void Unsubscribe() => _actor.Send("UNSUBSCRIBE");

    /// <summary>VERBOSE: logs each command and the configuration at Information level.</summary>
    public void Verbose() => _actor.Send("VERBOSE");

    /// <summary>
    /// Receives the next beacon from the pipe within <paramref name="timeout"/>. The pipe carries
    /// zbeacon's two frames only, so <see cref="BeaconMessage.Sender"/> has the address and port 0.
    /// </summary>
    /// <returns>False when nothing came in time.</returns>
    public bool TryReceive(TimeSpan timeout, [NotNullWhen(true)] out BeaconMessage? beacon)
    {
        if (_early.TryDequeue(out beacon)) return true;
        var pipe = _actor.Pipe;
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Clock.NowMs + (long)timeout.TotalMilliseconds;
        while (true)
        {
            var left = deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(0, deadline - Clock.NowMs));
            if (!pipe.TryReceive(left, out var message)) return false;
            using (message)
            {
                if (message.Count != 2) continue; // not a beacon (a late CONFIGURE answer)
                beacon = ToBeacon(message);
                return true;
            }
        }
    }

    /// <summary>Sends $TERM and waits for the actor; the beacon's sockets are closed.</summary>
    public void Dispose() => _actor.Dispose();

    private static BeaconMessage ToBeacon(Message message)
    {
        string address = message.GetString(0);
        var ip = IPAddress.TryParse(address, out var parsed) ? parsed : IPAddress.None;
        return new BeaconMessage(address, new IPEndPoint(ip, 0), message.GetSpan(1).ToArray());
    }

    // ---- the actor's side ----

    private void Run(PairSocket pipe)
    {
        using var beacon = new Beacon(_logger, heard =>
        {
            using var m = new Message(Encoding.UTF8.GetBytes(heard.Address), heard.Payload.ToArray());
            pipe.TrySend(m); // never blocks the beacon: an owner that does not read loses beacons past the pipe's HWM
        });
        pipe.Signal();
        while (true)
        {
            using var command = pipe.Receive();
            if (!Handle(beacon, pipe, command)) return;
        }
    }

    /// <summary>One command; false for $TERM.</summary>
    private bool Handle(Beacon beacon, PairSocket pipe, Message command)
    {
        string name = command.GetString(0);
        if (beacon.Verbose) BeaconLog.Command(_logger, name);
        switch (name)
        {
            case Actor.Term:
                return false;
            case "VERBOSE":
                beacon.Verbose = true;
                break;
            case "CONFIGURE":
                pipe.SendString(Configure(beacon, command));
                break;
            case "PUBLISH":
                if (command.Count < 2) BeaconLog.InvalidCommand(_logger, name, "no payload");
                else if (command.GetSpan(1).Length > Beacon.MaxPayloadLength) BeaconLog.InvalidCommand(_logger, name, $"a beacon is at most {Beacon.MaxPayloadLength} bytes, not {command.GetSpan(1).Length}");
                else beacon.Publish(command.GetSpan(1), TimeSpan.FromMilliseconds(command.Count > 2 ? Math.Max(0, Atoi(command.GetString(2))) : 0));
                break;
            case "SILENCE":
                beacon.Silence();
                break;
            case "SUBSCRIBE":
                var prefix = command.Count > 1 ? command.GetSpan(1) : [];
                if (prefix.Length > Beacon.MaxPayloadLength) BeaconLog.InvalidCommand(_logger, name, $"a filter is at most {Beacon.MaxPayloadLength} bytes, not {prefix.Length}");
                else beacon.Subscribe(prefix);
                break;
            case "UNSUBSCRIBE":
                beacon.Unsubscribe();
                break;
            default:
                BeaconLog.InvalidCommand(_logger, name, "unknown command");
                break;
        }
        return true;
    }

    /// <summary>CONFIGURE port [interface]: the address in use, or "" (logged) when it failed.</summary>
    private string Configure(Beacon beacon, Message command)
    {
        int port = command.Count > 1 ? Atoi(command.GetString(1)) : 0;
        string? iface = command.Count > 2 ? command.GetString(2) : null;
        try
        {
            return beacon.Configure(port, iface);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            BeaconLog.ConfigureFailed(_logger, e is ArgumentOutOfRangeException ? $"bad port '{(command.Count > 1 ? command.GetString(1) : "")}'" : e.Message);
            return "";
        }
    }

    /// <summary>C's atoi, as zsock_recv reads an "i": leading blanks, a sign, digits; 0 when there are none.</summary>
    private static int Atoi(string text)
    {
        var s = text.AsSpan().TrimStart();
        int i = 0;
        bool negative = false;
        if (i < s.Length && s[i] is '+' or '-') negative = s[i++] == '-';
        long value = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]) && value <= int.MaxValue; i++) value = value * 10 + (s[i] - '0');
        value = Math.Min(value, int.MaxValue);
        return (int)(negative ? -value : value);
    }
}
