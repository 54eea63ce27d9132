namespace Zmq.Cli.Cat;

/// <summary>
/// Where <c>zmq cat</c> writes: message lines to stdout (bytes as the codec formats them, each
/// ending in a newline, flushed as messages arrive), everything else to stderr, one line each.
/// </summary>
/// <remarks>STREAM (<paramref name="idAsHex"/>): the routing id frame is always printed in hex, the data by the usual rule.</remarks>
internal sealed class CatOutput(Stream stdout, bool hex, bool idAsHex = false)
{
    private readonly BufferedStream _out = new(stdout, 64 * 1024);
    private readonly List<byte> _line = new(256);
    private static readonly Lock s_errorGate = new();

    /// <summary>False once stdout was closed by the reader (e.g. <c>| head -1</c>): there is no point in going on.</summary>
    public bool IsOpen { get; private set; } = true;

    /// <summary>Buffers one message as a line; call <see cref="Flush"/> when no more are waiting.</summary>
    public void Write(Message message)
    {
        _line.Clear();
        if (message.RoutingId != 0) // SERVER: the client's routing id, in decimal, first
        {
            foreach (char c in message.RoutingId.ToString(System.Globalization.CultureInfo.InvariantCulture)) _line.Add((byte)c);
            _line.Add((byte)'\t');
        }
        for (int i = 0; i < message.Count; i++)
        {
            if (i > 0) _line.Add((byte)'\t');
            LineCodec.AppendFrame(_line, message.GetSpan(i), hex || i == 0 && idAsHex);
        }
        _line.Add((byte)'\n');
        try
        {
            _out.Write(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_line));
        }
        catch (IOException)
        {
            IsOpen = false;
        }
    }

    public void Flush()
    {
        try
        {
            _out.Flush();
        }
        catch (IOException)
        {
            IsOpen = false;
        }
    }

    /// <summary>One line on stderr, prefixed with <c>zmq cat: </c>.</summary>
    public static void Error(string message)
    {
        lock (s_errorGate) Console.Error.WriteLine("zmq cat: " + message);
    }
}
