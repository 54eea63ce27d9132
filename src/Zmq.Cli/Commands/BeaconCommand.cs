using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Zmq.Cli.Beacons;
using Zmq.Cli.Cat;

namespace Zmq.Cli.Commands;

/// <summary>
/// <c>zmq beacon announce PAYLOAD --port PORT ...</c> and <c>zmq beacon listen --port PORT ...</c>:
/// CZMQ's zbeacon (UDP broadcast, IPv6 multicast with --ipv6 or ZSYS_IPV6) from the command line.
/// As cat, both parse their own values so that every usage error is one stderr line and exit 2.
/// </summary>
internal static class BeaconCommand
{
    private const string Prefix = "zmq beacon: ";

    private const string AnnounceDescription = """
        Broadcast PAYLOAD as a beacon (CZMQ's zbeacon: the UDP datagram is the payload as it is, sent from and to PORT at the interface's broadcast address) at once and then every --interval ms, until SIGINT/SIGTERM or --duration (exit 0).
          zmq beacon announce "svc tcp://10.0.0.5:5555" --port 5670
          zmq beacon announce 0x0102ff --port 5670 --interval 250 --duration 10
        PAYLOAD is text, or 0x + hex (as in zmq cat; also for a payload starting with '-'); at most 255 bytes. The interface: --interface, else ZSYS_INTERFACE, else the first broadcast-capable one that is up.
        Exit 0 done, 1 no usable interface or the port cannot be opened, 2 bad usage.
        """;

    private const string ListenDescription = """
        Print every beacon heard on PORT as a line: ADDRESS<TAB>PAYLOAD (the payload as text, or 0x + hex when it is not text or starts with 0x, as zmq cat prints frames).
          zmq beacon listen --port 5670 --prefix svc -n 1
        Runs until -n beacons (exit 0), SIGINT/SIGTERM (exit 0), or --timeout seconds without one (exit 1).
        """;

    public static Command Create()
    {
        var beacon = new Command("beacon", "LAN discovery with UDP beacons (CZMQ's zbeacon): announce a payload, or listen for beacons.")
        {
            CreateAnnounce(),
            CreateListen(),
        };
        var stray = new Argument<string[]>("EXTRA") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        beacon.Add(stray);
        beacon.SetAction(parse =>
        {
            var words = (parse.GetValue(stray) ?? []).Concat(parse.UnmatchedTokens).ToList();
            Console.Error.WriteLine(Prefix + (words.Count == 0
                ? "missing a subcommand: announce or listen (see 'zmq beacon --help')"
                : $"unknown subcommand '{words[0]}': announce or listen (see 'zmq beacon --help')"));
            return ExitCodes.Usage;
        });
        return beacon;
    }

    private static Command CreateAnnounce()
    {
        var payload = new Argument<string?>("PAYLOAD") { Description = "The beacon: text, or 0x + hex; at most 255 bytes.", Arity = ArgumentArity.ZeroOrOne };
        var extra = new Argument<string[]>("EXTRA") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        var port = Value("--port", "PORT", "The UDP port (1 to 65535): beacons go from and to it.", "-p");
        var interval = Value("--interval", "MS", "Milliseconds between beacons (default 1000, as CZMQ).");
        var iface = Value("--interface", "NAME|ADDRESS", "The interface, by name or address (* for all, through 255.255.255.255); default ZSYS_INTERFACE, else the first broadcast-capable interface that is up.", "-i");
        var duration = Value("--duration", "SECONDS", "Stop after this long (exit 0); default: until SIGINT/SIGTERM.");
        var ipv6 = new Option<bool>("--ipv6") { Description = "IPv6: multicast to ff02::1 (ZSYS_IPV6_MCAST_ADDRESS) instead of IPv4 broadcast (ZSYS_IPV6=1 does the same)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log what the beacon does on stderr." };
        var command = new Command("announce", AnnounceDescription) { payload, extra, port, interval, iface, duration, ipv6, verbose };
        command.SetAction(parse => Run(() =>
        {
            var positional = Positional(parse, "announce", payload, extra);
            Check(parse, port, interval, iface, duration);
            if (positional.Count == 0) throw new CatUsageException("missing PAYLOAD, e.g. zmq beacon announce \"svc tcp://10.0.0.5:5555\" --port 5670");
            if (positional.Count > 1) throw new CatUsageException($"unexpected argument '{positional[1]}' (a PAYLOAD with spaces needs quotes)");
            var bytes = CatSettings.ParseFrame(positional[0], "PAYLOAD");
            if (bytes.Length > Toolkit.Beacon.MaxPayloadLength)
                throw new CatUsageException($"bad PAYLOAD: a beacon is at most {Toolkit.Beacon.MaxPayloadLength} bytes, this one is {bytes.Length}");
            return new BeaconSettings
            {
                Port = ParsePort(parse.GetValue(port)),
                Payload = bytes,
                Interval = CatSettings.ParseInt(parse.GetValue(interval), "--interval", 1, "milliseconds, 1 or more") is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                Interface = parse.GetValue(iface),
                Duration = CatSettings.ParseSeconds(parse.GetValue(duration), "--duration"),
                IPv6 = parse.GetValue(ipv6) ? true : null,
                Verbose = parse.GetValue(verbose),
            };
        }, BeaconRunner.Announce));
        return command;
    }

    private static Command CreateListen()
    {
        var extra = new Argument<string[]>("EXTRA") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        var port = Value("--port", "PORT", "The UDP port (1 to 65535).", "-p");
        var prefix = Value("--prefix", "P", "Only beacons starting with P (text, or 0x + hex); default: every beacon.");
        var count = Value("--count", "N", "Exit 0 after N beacons.", "-n");
        var timeout = Value("--timeout", "SECONDS", "Exit 1 when no beacon comes for that long.", "-t");
        var iface = Value("--interface", "NAME|ADDRESS", "The interface, by name or address; default ZSYS_INTERFACE, else the first broadcast-capable interface that is up.", "-i");
        var ipv6 = new Option<bool>("--ipv6") { Description = "IPv6: the multicast group ff02::1 instead of IPv4 broadcast (ZSYS_IPV6=1 does the same)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log what the beacon does on stderr." };
        var command = new Command("listen", ListenDescription) { extra, port, prefix, count, timeout, iface, ipv6, verbose };
        command.SetAction(parse => Run(() =>
        {
            var positional = Positional(parse, "listen", null, extra);
            Check(parse, port, prefix, count, timeout, iface);
            if (positional.Count > 0) throw new CatUsageException($"unexpected argument '{positional[0]}'");
            var filter = parse.GetValue(prefix) is { } p ? CatSettings.ParseFrame(p, "--prefix") : [];
            if (filter.Length > Toolkit.Beacon.MaxPayloadLength)
                throw new CatUsageException($"bad --prefix: a beacon is at most {Toolkit.Beacon.MaxPayloadLength} bytes, this prefix is {filter.Length}");
            return new BeaconSettings
            {
                Port = ParsePort(parse.GetValue(port)),
                Prefix = filter,
                Count = CatSettings.ParseInt(parse.GetValue(count), "--count", 1, "a whole number, 1 or more"),
                Timeout = CatSettings.ParseSeconds(parse.GetValue(timeout), "--timeout"),
                Interface = parse.GetValue(iface),
                IPv6 = parse.GetValue(ipv6) ? true : null,
                Verbose = parse.GetValue(verbose),
            };
        }, BeaconRunner.Listen));
        return command;
    }

    private static int Run(Func<BeaconSettings> build, Func<BeaconSettings, int> run)
    {
        BeaconSettings settings;
        try
        {
            settings = build();
        }
        catch (CatUsageException e)
        {
            Console.Error.WriteLine(Prefix + e.Message);
            return ExitCodes.Usage;
        }
        return run(settings);
    }

    /// <summary>The positional words; an unknown option among them is a usage error (a PAYLOAD starting with '-' is given as 0x + hex).</summary>
    private static List<string> Positional(ParseResult parse, string verb, Argument<string?>? first, Argument<string[]> extra)
    {
        var words = new List<string>();
        if (first is not null && parse.GetValue(first) is { } f) words.Add(f);
        words.AddRange(parse.GetValue(extra) ?? []);
        words.AddRange(parse.UnmatchedTokens);
        foreach (var word in words)
            if (word.Length > 1 && word[0] == '-')
                throw new CatUsageException($"unknown option '{word}' (see 'zmq beacon {verb} --help')");
        return words;
    }

    /// <summary>An option given without its value is a usage error naming it.</summary>
    private static void Check(ParseResult parse, params Option<string>[] options)
    {
        foreach (var option in options)
            if (parse.GetResult(option) is { } r && r.Tokens.Count == 0) throw new CatUsageException($"{option.Name} needs a value ({option.HelpName})");
    }

    internal static int ParsePort(string? text)
    {
        if (text is null) throw new CatUsageException("missing --port PORT (the UDP port, 1 to 65535)");
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new CatUsageException($"bad --port '{text}': expected a UDP port, 1 to 65535");
        return port;
    }

    private static Option<string> Value(string name, string helpName, string description, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = helpName,
            Arity = ArgumentArity.ZeroOrOne,
        };
}
