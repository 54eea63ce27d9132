using System.CommandLine;

namespace Zmq.Cli;

/// <summary>
/// Joins every option that takes a value to the word after it (<c>--curve-serverkey KEY</c> becomes
/// <c>--curve-serverkey=KEY</c>) before System.CommandLine reads the words, so that the value is
/// taken whole whatever it starts with, as getopt does. A Z85 key may begin with '-': System.CommandLine
/// read <c>-n...</c> as the option -n and <c>-:abc...</c> as "abc..." (a CLI test saw a random
/// key cut to 38 characters about once in ten runs). Split at the first '=' or ':', the joined word
/// gives the option its value unchanged, colons and equals signs included.
/// </summary>
internal static class OptionValues
{
    /// <summary>The words with each value-taking option of the command they name joined to its value; words after "--" unchanged.</summary>
    public static string[] Attach(Command root, string[] args)
    {
        var command = root;
        var result = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            string word = args[i];
            if (word == "--")
            {
                result.AddRange(args.AsSpan(i).ToArray());
                break;
            }
            if (command.Subcommands.FirstOrDefault(c => c.Name == word) is { } sub)
            {
                command = sub;
                result.Add(word);
                continue;
            }
            if (i + 1 < args.Length && TakesValue(command, word))
            {
                result.Add(word + "=" + args[++i]);
                continue;
            }
            result.Add(word);
        }
        return [.. result];
    }

    private static bool TakesValue(Command command, string word) =>
        word.StartsWith('-') && command.Options.Any(o =>
            o.ValueType != typeof(bool) && o.Arity.MaximumNumberOfValues > 0
            && (o.Name == word || o.Aliases.Contains(word)));
}
