using System.CommandLine;
using System.CommandLine.Parsing;
using Zmq.Cli.Cat;
using Zmq.Cli.Gossip;

namespace Zmq.Cli.Commands;

/// <summary>
/// <c>zmq gossip ENDPOINTS [--publish KEY=VALUE]... [-n N] [--timeout SECONDS]</c>: a zgossip node
/// (server where an entry binds, client where it connects) that publishes the given tuples and
/// prints what it learns from other nodes. As cat, it parses its own values: every usage error is
/// one stderr line, exit 2.
/// </summary>
internal static class GossipCommand
{
    private const string Description = """
        Join a gossip network (CZMQ's zgossip, ZGSP v1): @ binds a gossip server, > connects to one (an entry without @ or > connects; give both to relay). Publishes each --publish tuple and prints every tuple learned from other nodes as KEY<TAB>VALUE, once per key and again when its value changes (an unpublished key prints with an empty value); a key or value that is not plain text, or that holds a TAB, CR or LF, prints as 0x + hex. Its own tuples are not printed.
        Exit 0 after -n tuples printed or on SIGINT/SIGTERM, 1 when --timeout passes with nothing new, 2 bad usage.
          zmq gossip @tcp://*:9000 --publish svc/alpha=tcp://10.0.0.5:9001
          zmq gossip tcp://10.0.0.1:9000 -n 1 --timeout 5
        """;

    public static Command Create()
    {
        var endpoints = new Argument<string?>("ENDPOINTS") { Description = "Comma-separated CZMQ endpoints: @tcp://*:9000 serves, >tcp://host:9000 connects (the default).", Arity = ArgumentArity.ZeroOrOne };
        var extra = new Argument<string[]>("EXTRA") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        var publish = new Option<string[]>("--publish") { Description = "Publish KEY=VALUE (repeatable; the key at most 255 bytes).", HelpName = "KEY=VALUE", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        var count = new Option<string>("--count", "-n") { Description = "Exit 0 after N tuples printed.", HelpName = "N", Arity = ArgumentArity.ZeroOrOne };
        var timeout = new Option<string>("--timeout", "-t") { Description = "Exit 1 when nothing new arrives for that long.", HelpName = "SECONDS", Arity = ArgumentArity.ZeroOrOne };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log connections and refusals on stderr." };
        var command = new Command("gossip", Description) { endpoints, extra, publish, count, timeout, verbose };
        command.SetAction(parse =>
        {
            GossipSettings settings;
            try
            {
                settings = Build(parse);
            }
            catch (CatUsageException e)
            {
                Console.Error.WriteLine("zmq gossip: " + e.Message);
                return ExitCodes.Usage;
            }
            return GossipRunner.Run(settings);
        });
        return command;

        GossipSettings Build(ParseResult parse)
        {
            var positional = new List<string>();
            if (parse.GetValue(endpoints) is { } e) positional.Add(e);
            positional.AddRange(parse.GetValue(extra) ?? []);
            positional.AddRange(parse.UnmatchedTokens);
            foreach (var token in positional)
                if (token.Length > 1 && token[0] == '-') throw new CatUsageException($"unknown option '{token}' (see 'zmq gossip --help')");
            foreach (var option in new[] { count, timeout })
                if (parse.GetResult(option) is { } r && r.Tokens.Count == 0) throw new CatUsageException($"{option.Name} needs a value ({option.HelpName})");
            if (parse.GetResult(publish) is { } pr && pr.Tokens.Count == 0) throw new CatUsageException("--publish needs a value (KEY=VALUE)");
            if (positional.Count == 0) throw new CatUsageException("missing ENDPOINTS, e.g. zmq gossip @tcp://127.0.0.1:9000");
            if (positional.Count > 1) throw new CatUsageException($"unexpected argument '{positional[1]}' (give several endpoints as one comma-separated list)");
            var list = positional[0];
            CatSettings.CheckEndpoints(list);
            var entries = list.Split(',', StringSplitOptions.TrimEntries)
                .Select(x => x.StartsWith('@') ? (true, x[1..]) : (false, x.StartsWith('>') ? x[1..] : x))
                .ToList();
            var tuples = new List<(string, string)>();
            foreach (var p in parse.GetValue(publish) ?? [])
            {
                int eq = p.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new CatUsageException($"bad --publish '{p}': expected KEY=VALUE with a non-empty key");
                string key = p[..eq], value = p[(eq + 1)..];
                if (System.Text.Encoding.UTF8.GetByteCount(key) > 255) throw new CatUsageException($"bad --publish '{p}': the key is over 255 bytes");
                if (value.Length == 0) throw new CatUsageException($"bad --publish '{p}': the value is empty");
                tuples.Add((key, value));
            }
            return new GossipSettings(entries, tuples,
                CatSettings.ParseInt(parse.GetValue(count), "--count", 1, "a whole number, 1 or more"),
                CatSettings.ParseSeconds(parse.GetValue(timeout), "--timeout"),
                parse.GetValue(verbose));
        }
    }
}
