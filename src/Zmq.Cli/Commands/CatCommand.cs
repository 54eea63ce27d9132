using System.CommandLine;
using System.CommandLine.Parsing;
using Zmq.Cli.Cat;

namespace Zmq.Cli.Commands;

/// <summary>
/// <c>zmq cat TYPE ENDPOINTS [options]</c>: stdin lines become messages, received messages become
/// stdout lines (frames separated by TAB, non-text frames as <c>0x</c> + hex). See <see cref="CatRunner"/>
/// for what each socket type does and <see cref="LineCodec"/> for the line format.
/// </summary>
/// <remarks>
/// Every problem with the command line is exactly one stderr line and exit 2, so this command parses
/// its own values (numbers, keys) and reports unknown options itself instead of leaving them to
/// System.CommandLine (whose parse errors the root prints with a second "Try --help" line).
/// </remarks>
internal static class CatCommand
{
    private const string Prefix = "zmq cat: ";

    private const string Description = """
        Send stdin lines as messages and print received messages as lines: one line is one message, its frames separated by TAB; a frame that is not text (UTF-8 without control characters), or that starts with 0x, prints as 0x + lowercase hex (--hex: every frame); an input field starting with 0x is read as hex.
          push, pub: send every line; at EOF wait for delivery (--linger, --timeout), exit 0.
          pull, sub: print every message.
          req: send each line, print its reply; exit after the last reply.
          rep: print each request; answer with the next line (exit when stdin ends) or with the request itself (--echo).
          router: lines start with the peer's routing id (printed, and given on stdin as the first field).
          server: prints ROUTING_ID<TAB>PAYLOAD (the client's id in decimal); a stdin line ROUTING_ID<TAB>PAYLOAD answers that client. client: sends lines (one frame each), prints what arrives. scatter sends like push, gather prints like pull, channel is a pair (one frame per line). peer: as server, and each connect's routing id is written to stderr as 'zmq cat: connected ENDPOINT ID'.
          stream: raw TCP with any program (binds by default): prints ID<TAB>DATA (the connection's id in 0x hex, DATA as one read returned it); a connect or a disconnect prints ID<TAB>; a stdin line ID<TAB>DATA sends DATA as it is, ID<TAB> alone closes that connection.
          dealer, pair, xpub, xsub: send lines and print messages at the same time (xpub prints subscriptions, e.g. 0x0174657374 for "test"; xsub sends such lines to subscribe by hand).
        Receiving types run until -n messages, --timeout without one, or SIGINT/SIGTERM (exit 0).
        Exit 0 success, 1 time-out or failure, 2 bad usage; errors are one line on stderr.
        """;

    public static Command Create()
    {
        var type = new Argument<string?>("TYPE")
        {
            Description = "Socket type: pair pub sub xpub xsub push pull req rep dealer router stream server client scatter gather channel peer (any case).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        type.CompletionSources.Add([.. SocketTypes.Names]);
        var endpoints = new Argument<string?>("ENDPOINTS")
        {
            Description = "Comma-separated CZMQ endpoints: @tcp://127.0.0.1:5555 binds, >tcp://127.0.0.1:5555 connects; " +
                          "without @ or > PUB, XPUB, REP, ROUTER and PULL bind and the others connect. tcp://, ipc:// and inproc://.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var extra = new Argument<string[]>("EXTRA") { Arity = ArgumentArity.ZeroOrMore, Hidden = true }; // unknown options and stray words, reported by Build
        var count = Value("--count", "N", "Exit 0 after N messages received (req: N replies; rep: N requests served; push/pub: N lines sent).", "-n");
        var timeout = Value("--timeout", "SECONDS", "Exit 1 when nothing arrives for that long (push/pub: bounds a blocked send and the wait for the queue to drain).", "-t");
        var subscribe = new Option<string[]>("--subscribe")
        {
            Description = "sub/xsub: subscribe to PREFIX (repeatable; 0x... for hex); default everything.",
            HelpName = "PREFIX",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var identity = Value("--identity", "ID", "The socket's routing id (text, or 0x... hex; 1 to 255 bytes).");
        var hex = new Option<bool>("--hex") { Description = "Print every frame as 0x + hex, text or not." };
        var echo = new Option<bool>("--echo") { Description = "rep: answer each request with its own frames instead of the next stdin line." };
        var curveServer = new Option<bool>("--curve-server") { Description = "Be a CURVE server, with the secret key of --curve-secret or --cert." };
        var curveSecret = Value("--curve-secret", "Z85", "This side's CURVE secret key (40 Z85 characters); a client without one uses an ephemeral key pair.");
        var curveServerKey = Value("--curve-serverkey", "Z85|FILE", "Be a CURVE client of the server with this public key (40 Z85 characters, or a certificate file holding it).");
        var cert = Value("--cert", "FILE", "This side's CURVE key pair from a CZMQ certificate (FILE_secret is read when it exists), instead of --curve-secret.");
        var plainServer = new Option<bool>("--plain-server") { Description = "Be a PLAIN server: users and passwords from --plain-users, else any user passes." };
        var plainUsers = Value("--plain-users", "FILE", "PLAIN server: user=password lines.");
        var plainUser = Value("--plain-user", "USER", "PLAIN client: the user name (with --plain-password).");
        var plainPassword = Value("--plain-password", "PASSWORD", "PLAIN client: the password.");
        var sndhwm = Value("--sndhwm", "N", "Send high-water mark (messages queued per peer).");
        var rcvhwm = Value("--rcvhwm", "N", "Receive high-water mark.");
        var linger = Value("--linger", "MS", "At exit, wait at most MS ms for queued messages to be delivered (0 drops them, -1 waits forever: the default).");
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the library's log lines (connections, handshakes, retries) on stderr." };

        var command = new Command("cat", Description)
        {
            type, endpoints, extra, count, timeout, subscribe, identity, hex, echo,
            curveServer, curveSecret, curveServerKey, cert, plainServer, plainUsers, plainUser, plainPassword,
            sndhwm, rcvhwm, linger, verbose,
        };
        command.SetAction(parse =>
        {
            CatSettings settings;
            try
            {
                settings = Build(parse);
            }
            catch (CatUsageException e)
            {
                Console.Error.WriteLine(Prefix + e.Message);
                return ExitCodes.Usage;
            }
            return CatRunner.Run(settings);
        });
        return command;

        CatSettings Build(ParseResult parse)
        {
            var positional = new List<string>();
            if (parse.GetValue(type) is { } t) positional.Add(t);
            if (parse.GetValue(endpoints) is { } e) positional.Add(e);
            positional.AddRange(parse.GetValue(extra) ?? []);
            positional.AddRange(parse.UnmatchedTokens);
            foreach (var token in positional)
                if (token.Length > 1 && token[0] == '-') throw new CatUsageException($"unknown option '{token}' (see 'zmq cat --help')");
            foreach (var option in new[] { count, timeout, identity, curveSecret, curveServerKey, cert, plainUsers, plainUser, plainPassword, sndhwm, rcvhwm, linger })
                if (parse.GetResult(option) is { } r && r.Tokens.Count == 0) throw new CatUsageException($"{option.Name} needs a value ({option.HelpName})");
            if (parse.GetResult(subscribe) is { } sr && sr.Tokens.Count == 0) throw new CatUsageException("--subscribe needs a value (PREFIX; \"\" for everything)");
            if (positional.Count == 0) throw new CatUsageException("missing TYPE and ENDPOINTS, e.g. zmq cat pull @tcp://127.0.0.1:5555");
            var socketType = CatSettings.ParseType(positional[0]);
            if (positional.Count == 1) throw new CatUsageException($"missing ENDPOINTS after '{positional[0]}', e.g. @tcp://127.0.0.1:5555");
            if (positional.Count > 2) throw new CatUsageException($"unexpected argument '{positional[2]}' (give several endpoints as one comma-separated list)");
            CatSettings.CheckEndpoints(positional[1]);

            var subs = (parse.GetValue(subscribe) ?? []).Select(s => CatSettings.ParseFrame(s, "--subscribe")).ToArray();
            if (subs.Length > 0 && socketType is not (SocketType.Sub or SocketType.XSub))
                throw new CatUsageException("--subscribe applies to sub and xsub only");
            if (parse.GetValue(echo) && socketType != SocketType.Rep)
                throw new CatUsageException("--echo applies to rep only");
            byte[]? id = parse.GetValue(identity) is { } idText ? CatSettings.ParseFrame(idText, "--identity") : null;
            if (id is { Length: 0 or > 255 }) throw new CatUsageException($"bad --identity '{parse.GetValue(identity)}': a routing id is 1 to 255 bytes");
            if (id is [0, ..]) throw new CatUsageException($"bad --identity '{parse.GetValue(identity)}': a routing id must not start with a zero byte");

            var settings = new CatSettings
            {
                Type = socketType,
                Endpoints = positional[1],
                Count = CatSettings.ParseInt(parse.GetValue(count), "--count", 1, "a whole number, 1 or more"),
                Timeout = CatSettings.ParseSeconds(parse.GetValue(timeout), "--timeout"),
                Subscribe = subs,
                Identity = id,
                Hex = parse.GetValue(hex),
                Echo = parse.GetValue(echo),
                Verbose = parse.GetValue(verbose),
                CurveServer = parse.GetValue(curveServer),
                CurveSecret = parse.GetValue(curveSecret),
                CurveServerKey = parse.GetValue(curveServerKey),
                CertFile = parse.GetValue(cert),
                PlainServer = parse.GetValue(plainServer),
                PlainUsersFile = parse.GetValue(plainUsers),
                PlainUser = parse.GetValue(plainUser),
                PlainPassword = parse.GetValue(plainPassword),
                SendHighWatermark = CatSettings.ParseInt(parse.GetValue(sndhwm), "--sndhwm", 0, "a whole number, 0 or more (0: no limit)"),
                ReceiveHighWatermark = CatSettings.ParseInt(parse.GetValue(rcvhwm), "--rcvhwm", 0, "a whole number, 0 or more (0: no limit)"),
                LingerMs = CatSettings.ParseInt(parse.GetValue(linger), "--linger", -1, "milliseconds: 0 or more, or -1 to wait forever"),
            };
            CatSecurity.CheckSyntax(settings);
            return settings;
        }
    }

    /// <summary>An option taking one value, parsed by the command itself (so that a bad value is one line and exit 2).</summary>
    private static Option<string> Value(string name, string helpName, string description, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = helpName,
            Arity = ArgumentArity.ZeroOrOne,
        };
}
