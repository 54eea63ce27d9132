using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using NetSocket = System.Net.Sockets.Socket;

namespace Zmq.Cli.Doctor;

/// <summary>
/// Reads for the endpoint probe, bounded by its deadline, keeping the first bytes received so a
/// failure can show what the peer really sent (e.g. an HTTP server's answer).
/// </summary>
internal sealed class ProbeStream(NetSocket socket, CancellationToken token)
{
    private const int Kept = 24;
    private readonly List<byte> _first = [];

    /// <summary>How many bytes the peer has sent so far.</summary>
    public long Received { get; private set; }

    public void ReadExactly(Span<byte> into)
    {
        var buffer = new byte[into.Length];
        int done = 0;
        while (done < buffer.Length)
        {
            int n = socket.ReceiveAsync(buffer.AsMemory(done), SocketFlags.None, token).AsTask().GetAwaiter().GetResult();
            if (n == 0) throw new EndOfStreamException();
            Keep(buffer.AsSpan(done, n));
            done += n;
        }
        buffer.CopyTo(into);
    }

    /// <summary>One ZMTP command frame: its name and the body after the name.</summary>
    public (string Name, byte[] Body) ReadCommand()
    {
        Span<byte> head = stackalloc byte[8];
        ReadExactly(head[..1]);
        byte flags = head[0];
        if ((flags & 0x04) == 0) throw new ProbeFailed($"expected a command frame, got flags 0x{flags:X2}");
        long size;
        if ((flags & 0x02) != 0)
        {
            ReadExactly(head);
            size = BinaryPrimitives.ReadInt64BigEndian(head);
        }
        else
        {
            ReadExactly(head[..1]);
            size = head[0];
        }
        if (size is < 1 or > 65536) throw new ProbeFailed($"implausible command size {size}");
        var frame = new byte[size];
        ReadExactly(frame);
        int nameLength = frame[0];
        if (nameLength + 1 > frame.Length) throw new ProbeFailed("malformed command frame");
        return (Encoding.ASCII.GetString(frame, 1, nameLength), frame[(1 + nameLength)..]);
    }

    /// <summary>The first bytes received, for a message.</summary>
    public string Show() => ZmtpGreeting.Show(_first.ToArray()) + (Received > _first.Count ? "..." : "");

    /// <summary>As <see cref="Show"/>, after taking whatever else arrives within 100 ms (a garbage answer's next bytes).</summary>
    public string ShowWithMore()
    {
        var more = new byte[Kept];
        while (_first.Count < Kept && socket.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectRead))
        {
            int n;
            try
            {
                n = socket.Receive(more, 0, Kept - _first.Count, SocketFlags.None);
            }
            catch (SocketException)
            {
                break;
            }
            if (n == 0) break;
            Keep(more.AsSpan(0, n));
        }
        return Show();
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        Received += bytes.Length;
        for (int i = 0; i < bytes.Length && _first.Count < Kept; i++) _first.Add(bytes[i]);
    }
}
