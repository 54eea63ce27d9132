using System.CommandLine;
using System.CommandLine.Parsing;

namespace Zmq.Cli.Commands;

/// <summary>
/// Tab completion: <c>zmq completion bash</c> prints a bash completion function (source it, e.g.
/// <c>source &lt;(./zmq completion bash)</c>) that asks <c>zmq __complete WORDS...</c> for the
/// words that can follow, from System.CommandLine's own model of the verbs and options.
/// </summary>
internal static class CompletionCommand
{
    /// <summary>The hidden verb the shell function calls with the words typed so far (the last one possibly partial).</summary>
    public const string Verb = "__complete";

    private const string BashScript = """
        # bash completion for zmq (the Zmq command line tool): source <(zmq completion bash)
        _zmq_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _zmq_complete zmq ./zmq
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = "The shell: bash." };
        shell.AcceptOnlyFromAmong("bash");
        var command = new Command("completion", "Print a shell script that completes zmq's verbs and options (bash: source <(zmq completion bash)).") { shell };
        command.SetAction(_ =>
        {
            Console.WriteLine(BashScript);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Prints what can complete the last of <paramref name="words"/> under <paramref name="root"/>, one per line.</summary>
    public static int Complete(Command root, string[] words, ParserConfiguration config)
    {
        var result = root.Parse(words, config);
        foreach (var item in result.GetCompletions().Select(c => c.Label).Distinct())
            Console.WriteLine(item);
        return ExitCodes.Ok;
    }
}
