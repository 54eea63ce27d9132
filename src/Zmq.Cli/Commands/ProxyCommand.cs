using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Zmq.Cli.Cat;
using Zmq.Cli.Proxy;

namespace Zmq.Cli.Commands;

/// <summary>
/// <c>zmq proxy FRONTEND BACKEND [options]</c>: zmq_proxy between two sockets, each given as a
/// type and a CZMQ endpoint list, with cat's security and HWM options per side
/// (<c>--frontend-...</c>, <c>--backend-...</c>) and an optional capture socket. Runs until
/// SIGINT/SIGTERM. As cat, it parses its own values so every usage error is one stderr line, exit 2.
/// </summary>
internal static partial class ProxyCommand
{
    private const string Prefix = "zmq proxy: ";

    private const string Description = """
        Forward messages between two sockets (zmq_proxy) until SIGINT/SIGTERM (exit 0). Each side is a socket type followed at once by CZMQ endpoints: @ binds, > connects, : takes the type's default (PUB, XPUB, REP, ROUTER, PULL bind; the others connect); later entries of a comma list without @ or > take the default too.
          zmq proxy xsub@tcp://*:5559 xpub@tcp://*:5560                 (subscriptions flow upstream)
          zmq proxy router@tcp://127.0.0.1:5555 dealer@ipc:///tmp/workers.sock
          zmq proxy pull@tcp://*:6000 push>tcp://10.0.0.5:6001 --capture @tcp://127.0.0.1:6002
        The two sides' security is independent (a context and a ZAP handler each): --frontend-curve-server --frontend-curve-secret Z85, --backend-plain-user U --backend-plain-password P, ...
        A SUB side subscribes to everything. Exit 0 on a signal, 1 when a socket fails (address in use, ...), 2 bad usage.
        """;

    /// <summary>cat's per-socket options, as each side takes them (the side's prefix added).</summary>
    private static readonly (string Name, string? HelpName, string Description)[] SideOptions =
    [
        ("curve-server", null, "Be a CURVE server, with the secret key of -curve-secret or -cert."),
        ("curve-secret", "Z85", "This side's CURVE secret key (40 Z85 characters)."),
        ("curve-serverkey", "Z85|FILE", "Be a CURVE client of the server with this public key (or a certificate file holding it)."),
        ("cert", "FILE", "This side's CURVE key pair from a CZMQ certificate."),
        ("plain-server", null, "Be a PLAIN server: users from -plain-users, else anyone passes."),
        ("plain-users", "FILE", "PLAIN server: user=password lines."),
        ("plain-user", "USER", "PLAIN client: the user name."),
        ("plain-password", "PASSWORD", "PLAIN client: the password."),
        ("sndhwm", "N", "Send high-water mark."),
        ("rcvhwm", "N", "Receive high-water mark."),
    ];

    public static Command Create()
    {
        var frontend = new Argument<string?>("FRONTEND") { Description = "The frontend: TYPE@ENDPOINTS, TYPE>ENDPOINTS or TYPE:ENDPOINTS.", Arity = ArgumentArity.ZeroOrOne };
        var backend = new Argument<string?>("BACKEND") { Description = "The backend, the same way.", Arity = ArgumentArity.ZeroOrOne };
        var extra = new Argument<string[]>("EXTRA") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        var capture = new Option<string>("--capture") { Description = "Send a copy of every message to a PUSH socket on ENDPOINT (@ binds, otherwise connects).", HelpName = "ENDPOINT", Arity = ArgumentArity.ZeroOrOne };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log connections, handshakes and refusals on stderr." };
        var command = new Command("proxy", Description) { frontend, backend, extra, capture, verbose };
        var sides = new Dictionary<string, Option>();
        foreach (var side in new[] { "frontend", "backend" })
        {
            foreach (var (name, helpName, description) in SideOptions)
            {
                string full = $"--{side}-{name}";
                Option option = helpName is null
                    ? new Option<bool>(full) { Description = $"{side}: {description.Replace(" -", $" --{side}-", StringComparison.Ordinal)}" }
                    : new Option<string>(full) { Description = $"{side}: {description}", HelpName = helpName, Arity = ArgumentArity.ZeroOrOne };
                sides[full] = option;
                command.Add(option);
            }
        }
        command.SetAction(parse =>
        {
            ProxySettings settings;
            try
            {
                settings = Build(parse);
            }
            catch (CatUsageException e)
            {
                Console.Error.WriteLine(Prefix + e.Message);
                return ExitCodes.Usage;
            }
            return ProxyRunner.Run(settings);
        });
        return command;

        ProxySettings Build(ParseResult parse)
        {
            var positional = new List<string>();
            if (parse.GetValue(frontend) is { } f) positional.Add(f);
            if (parse.GetValue(backend) is { } b) positional.Add(b);
            positional.AddRange(parse.GetValue(extra) ?? []);
            positional.AddRange(parse.UnmatchedTokens);
            foreach (var token in positional)
                if (token.Length > 1 && token[0] == '-') throw new CatUsageException($"unknown option '{token}' (see 'zmq proxy --help')");
            if (parse.GetResult(capture) is { } cr && cr.Tokens.Count == 0) throw new CatUsageException("--capture needs a value (ENDPOINT)");
            foreach (var (full, option) in sides)
                if (option is Option<string> o && parse.GetResult(o) is { } r && r.Tokens.Count == 0)
                    throw new CatUsageException($"{full} needs a value ({o.HelpName})");
            if (positional.Count == 0) throw new CatUsageException("missing FRONTEND and BACKEND, e.g. zmq proxy router@tcp://*:5555 dealer@tcp://*:5556");
            if (positional.Count == 1) throw new CatUsageException($"missing BACKEND after '{positional[0]}', e.g. dealer@tcp://*:5556");
            if (positional.Count > 2) throw new CatUsageException($"unexpected argument '{positional[2]}' (give several endpoints of a side as one comma-separated list)");
            string? captureEndpoint = parse.GetValue(capture);
            if (captureEndpoint is not null) CheckCapture(captureEndpoint);
            return new ProxySettings(Side("frontend", positional[0]), Side("backend", positional[1]), captureEndpoint, parse.GetValue(verbose));

            ProxySide Side(string side, string spec)
            {
                var (type, endpoints) = ProxySide.ParseSpec(spec, side);
                string? S(string name) => parse.GetValue((Option<string>)sides[$"--{side}-{name}"]);
                bool B(string name) => parse.GetValue((Option<bool>)sides[$"--{side}-{name}"]);
                try
                {
                    var settings = new CatSettings
                    {
                        Type = type,
                        Endpoints = endpoints,
                        CurveServer = B("curve-server"),
                        CurveSecret = S("curve-secret"),
                        CurveServerKey = S("curve-serverkey"),
                        CertFile = S("cert"),
                        PlainServer = B("plain-server"),
                        PlainUsersFile = S("plain-users"),
                        PlainUser = S("plain-user"),
                        PlainPassword = S("plain-password"),
                        SendHighWatermark = CatSettings.ParseInt(S("sndhwm"), $"--{side}-sndhwm", 0, "a whole number, 0 or more (0: no limit)"),
                        ReceiveHighWatermark = CatSettings.ParseInt(S("rcvhwm"), $"--{side}-rcvhwm", 0, "a whole number, 0 or more (0: no limit)"),
                    };
                    CatSecurity.CheckSyntax(settings);
                    return new ProxySide(side, settings);
                }
                catch (CatUsageException e)
                {
                    throw new CatUsageException(Prefixed(e.Message, side));
                }
            }
        }
    }

    private static void CheckCapture(string endpoint)
    {
        try
        {
            CatSettings.CheckEndpoints(endpoint);
        }
        catch (CatUsageException e)
        {
            throw new CatUsageException($"bad --capture '{endpoint}': {e.Message}");
        }
        if (endpoint.Contains(',', StringComparison.Ordinal)) throw new CatUsageException($"bad --capture '{endpoint}': one endpoint");
    }

    /// <summary>cat's messages name its options (--curve-secret); a side's are --frontend-curve-secret.</summary>
    internal static string Prefixed(string message, string side) => SideOption().Replace(message, $"--{side}-");

    [GeneratedRegex(@"--(?=curve-|plain-|cert\b|sndhwm\b|rcvhwm\b)")]
    private static partial Regex SideOption();
}
