using System.Collections.Concurrent;

namespace Zmq.Cli.Cat;

/// <summary>
/// Reads stdin on a background thread, one message per line (see <see cref="LineCodec"/>), and
/// queues the parsed messages (a bounded queue, so reading never runs far ahead of sending). A line
/// that cannot be parsed is reported on stderr and skipped. EOF (or a read error) completes the queue.
/// </summary>
internal sealed class StdinMessages
{
    private const int Capacity = 1000;
    private readonly BlockingCollection<byte[][]> _queue = new(Capacity);
    private readonly Stream _input;

    private StdinMessages(Stream input) => _input = input;

    /// <summary>Starts reading <paramref name="input"/> (stdin by default).</summary>
    public static StdinMessages Start(Stream? input = null)
    {
        var reader = new StdinMessages(input ?? Console.OpenStandardInput());
        new Thread(reader.Run) { IsBackground = true, Name = "zmq cat stdin" }.Start();
        return reader;
    }

    /// <summary>True once EOF was read and every queued message has been taken.</summary>
    public bool IsExhausted => _queue.IsCompleted;

    /// <summary>
    /// The next message: waits at most <paramref name="wait"/> (<see cref="Timeout.InfiniteTimeSpan"/> for ever).
    /// Returns false with <paramref name="eof"/> set when stdin is exhausted, or false when the wait ran out.
    /// </summary>
    public bool TryTake(TimeSpan wait, out byte[][] frames, out bool eof)
    {
        eof = false;
        try
        {
            if (_queue.TryTake(out frames!, wait)) return true;
        }
        catch (InvalidOperationException)
        {
            frames = [];
        }
        eof = _queue.IsCompleted;
        frames ??= [];
        return false;
    }

    private void Run()
    {
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        long lineNumber = 0;
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = _input.Read(buffer, 0, buffer.Length);
                }
                catch (IOException)
                {
                    break;
                }
                if (n <= 0) break;
                int start = 0;
                for (int i = 0; i < n; i++)
                {
                    if (buffer[i] != (byte)'\n') continue;
                    ReadOnlySpan<byte> part = buffer.AsSpan(start, i - start);
                    if (pending.Count > 0)
                    {
                        pending.AddRange(part);
                        Emit(pending.ToArray(), ++lineNumber);
                        pending.Clear();
                    }
                    else
                    {
                        Emit(part, ++lineNumber);
                    }
                    start = i + 1;
                }
                pending.AddRange(buffer.AsSpan(start, n - start));
            }
            if (pending.Count > 0) Emit(pending.ToArray(), ++lineNumber); // a last line without its newline
        }
        finally
        {
            _queue.CompleteAdding();
        }
    }

    private void Emit(ReadOnlySpan<byte> line, long number)
    {
        if (LineCodec.TryParseLine(line, out var frames, out var error))
            _queue.Add(frames);
        else
            CatOutput.Error($"stdin line {number} skipped: {error}");
    }
}
