using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Zmq.Cli;
using Zmq.Cli.Commands;

// A plain Command named "zmq" rather than RootCommand, whose name is the executable's (Zmq.Cli,
// see Zmq.Cli.csproj): help and errors say `zmq`, as users type it through the ./zmq wrapper.
var root = new Command("zmq", "Tools for the Zmq library (pure C# ZeroMQ: ZMTP 3.1 over tcp and ipc, and inproc).")
{
    new HelpOption(),
    new VersionOption(),
    DoctorCommand.Create(),
    BenchCommand.Create(),
    KeygenCommand.Create(),
    MonitorCommand.Create(),
    CatCommand.Create(),
    ProxyCommand.Create(),
    GossipCommand.Create(),
    BeaconCommand.Create(),
    CompletionCommand.Create(),
};

// No response files: '@' starts a bind endpoint (CZMQ syntax, e.g. @tcp://*:5555), not a file of arguments.
var config = new ParserConfiguration { ResponseFileTokenReplacer = null };
if (args is [CompletionCommand.Verb, .. var words])
    return CompletionCommand.Complete(root, words, config);
var parse = root.Parse(OptionValues.Attach(root, args), config);
if (parse.Action is ParseErrorAction)
{
    // System.CommandLine would print the whole help and exit 1; here a usage error is exit 2
    // (1 means "the operation failed") and the help stays one --help away.
    foreach (var error in parse.Errors)
        Console.Error.WriteLine("zmq: " + error.Message);
    var names = new List<string>();
    for (SymbolResult? r = parse.CommandResult; r is not null; r = r.Parent)
        if (r is CommandResult c) names.Insert(0, c.Command.Name);
    Console.Error.WriteLine($"Try '{string.Join(' ', names)} --help'.");
    return ExitCodes.Usage;
}
return parse.Invoke();
