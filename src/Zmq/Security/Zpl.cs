using System.Text;

namespace Zmq;

/// <summary>
/// A small reader and writer for ZPL (ZeroMQ property language, rfc.zeromq.org/spec/4), the text
/// format of CZMQ's zconfig, as far as CURVE certificates need it: '#' comments, 4-space indentation
/// per level, <c>name</c> and <c>name = value</c> lines with values bare, in "double" or in 'single'
/// quotes (no escapes: a quoted value runs to the next quote of the same kind).
/// </summary>
internal static class Zpl
{
    /// <summary>One item: its name, its value (null when it has none), its children and its line.</summary>
    internal sealed class Node(string name, string? value, int line)
    {
        public string Name { get; } = name;
        public string? Value { get; } = value;
        public int Line { get; } = line;
        public List<Node> Children { get; } = [];

        public Node? Child(string name) => Children.Find(c => c.Name == name);
    }

    /// <summary>True for the characters a ZPL name may hold (as zconfig reads them).</summary>
    public static bool IsNameChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
          or '$' or '-' or '_' or '@' or '.' or '&' or '+' or '/';

    /// <summary>Parses ZPL text to a root node (name "root", line 0).</summary>
    /// <exception cref="FormatException">Malformed; the message names <paramref name="source"/> and the line.</exception>
    public static Node Parse(string text, string source)
    {
        var root = new Node("root", null, 0);
        var stack = new List<Node> { root }; // stack[level] is the parent of items at indentation level
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int lineNo = i + 1;
            string line = lines[i].TrimEnd('\r');
            FormatException Error(string what) => new($"{source}, line {lineNo}: {what}");

            int indent = 0;
            while (indent < line.Length && line[indent] == ' ') indent++;
            if (indent == line.Length || line[indent] == '#') continue; // blank or comment
            if (line[indent] == '\t') throw Error("tab in indentation (ZPL indents with 4 spaces per level)");
            if (indent % 4 != 0) throw Error($"indentation of {indent} spaces is not a multiple of 4");
            int level = indent / 4 + 1;
            if (level > stack.Count) throw Error("indented more than one level below the item above");

            int pos = indent;
            while (pos < line.Length && IsNameChar(line[pos])) pos++;
            if (pos == indent) throw Error($"expected a name, found '{line[indent]}'");
            string name = line[indent..pos];
            pos = SkipSpaces(line, pos);
            string? value = null;
            if (pos < line.Length && line[pos] == '=')
            {
                pos = SkipSpaces(line, pos + 1);
                if (pos < line.Length && line[pos] is '"' or '\'')
                {
                    char quote = line[pos];
                    int end = line.IndexOf(quote, pos + 1);
                    if (end < 0) throw Error($"value of '{name}' has no closing {quote}");
                    value = line[(pos + 1)..end];
                    pos = end + 1;
                }
                else
                {
                    int start = pos;
                    while (pos < line.Length && line[pos] != ' ' && line[pos] != '\t' && line[pos] != '#') pos++;
                    value = line[start..pos];
                }
                pos = SkipSpaces(line, pos);
            }
            if (pos < line.Length && line[pos] != '#')
                throw Error($"unexpected '{line[pos..]}' after '{name}'");

            var node = new Node(name, value, lineNo);
            stack.RemoveRange(level, stack.Count - level);
            stack[level - 1].Children.Add(node);
            stack.Add(node);
        }
        return root;
    }

    private static int SkipSpaces(string line, int pos)
    {
        while (pos < line.Length && line[pos] is ' ' or '\t') pos++;
        return pos;
    }

    /// <summary>Writes <c>name = "value"</c> at <paramref name="level"/> (1 = top), quoting as zconfig does:
    /// in double quotes, or in single quotes when the value holds a double quote.</summary>
    public static void WriteValue(StringBuilder sb, int level, string name, string value)
    {
        char quote = value.Contains('"') ? '\'' : '"';
        sb.Append(' ', (level - 1) * 4).Append(name).Append(" = ").Append(quote).Append(value).Append(quote).Append('\n');
    }

    /// <summary>Writes a value-less item (a section) at <paramref name="level"/>.</summary>
    public static void WriteSection(StringBuilder sb, int level, string name) =>
        sb.Append(' ', (level - 1) * 4).Append(name).Append('\n');
}
