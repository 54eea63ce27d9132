using Zmq.Messages;

namespace Zmq.Tests.Messages;

public class MessageTests
{
    [Fact]
    public void Build_AndRead()
    {
        var m = new Message().Add("hello"u8).AddEmpty().Add("wörld");
        Assert.Equal(3, m.Count);
        Assert.Equal("hello", m.GetString(0));
        Assert.True(m.GetSpan(1).IsEmpty);
        Assert.Equal("wörld", m.GetString(2));
        Assert.Equal("hello"u8.ToArray(), m[0].ToArray());
        Assert.Equal("hello"u8.ToArray(), m.ToArray(0));
        Assert.Equal(6, m.GetSpan(2).Length); // UTF-8, shrunk to what was written
        Assert.Equal(3, m.ToArrays().Length);
    }

    [Fact]
    public void Constructor_CopiesFrames()
    {
        var a = "a"u8.ToArray();
        var m = new Message(a, "bc"u8.ToArray());
        a[0] = (byte)'z';
        Assert.Equal(2, m.Count);
        Assert.Equal("a", m.GetString(0));
    }

    [Fact]
    public void Add_StringWithMultiByteCharsAndThenMore()
    {
        var m = new Message().Add("€uro").Add("x"u8).Add("");
        Assert.Equal("€uro", m.GetString(0));
        Assert.Equal("x", m.GetString(1));
        Assert.Equal("", m.GetString(2));
        Assert.Equal(3, m.Count);
    }

    [Fact]
    public void Index_OutOfRangeThrows()
    {
        var m = new Message().Add("a"u8);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.GetSpan(1).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => m[-1]);
    }

    [Fact]
    public void Disposed_Throws()
    {
        var m = new Message().Add("a"u8);
        m.Dispose();
        m.Dispose(); // twice is fine
        Assert.Throws<ObjectDisposedException>(() => m.Count);
        Assert.Throws<ObjectDisposedException>(() => m.GetSpan(0).Length);
        Assert.Throws<ObjectDisposedException>(() => m.Add("b"u8));
        Assert.Equal("Message(disposed)", m.ToString());
    }

    [Fact]
    public void ToString_ListsFrameSizes()
    {
        using var m = new Message().Add("abc"u8).AddEmpty();
        Assert.Equal("Message[3 B, 0 B]", m.ToString());
    }

    [Fact]
    public void Prefix_AndSkip_AreHonoured()
    {
        // ROUTER prepends the routing id without copying; REQ/REP hide the envelope.
        var m = new Message().Add("envelope"u8).AddEmpty().Add("body"u8);
        m.Skip = 2;
        Assert.Equal(1, m.Count);
        Assert.Equal("body", m.GetString(0));
        m.Prefix = [0, 1, 2, 3, 4];
        Assert.Equal(2, m.Count);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, m.ToArray(0));
        Assert.Equal("body", m.GetString(1));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, m[0].ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => m.GetSpan(2).Length);
    }

    [Fact]
    public void Rent_ReusesDisposedMessages_OnTheSameThread()
    {
        // On a fresh thread, so the thread-static cache starts empty.
        Exception? failure = null;
        var t = new Thread(() =>
        {
            try
            {
                var m = Message.Rent();
                m.Add("x"u8);
                m.Prefix = [1];
                m.Skip = 1;
                m.Dispose();
                var again = Message.Rent();
                Assert.Same(m, again);
                Assert.Equal(0, again.Count); // recycled: no frames, no prefix, no skip
                again.Add("y"u8);
                Assert.Equal("y", again.GetString(0));
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }) { IsBackground = true };
        t.Start();
        Assert.True(t.Join(5000));
        Assert.Null(failure);
    }

    [Fact]
    public void OutFrames_FromEveryShape()
    {
        var fs = new FrameSet();
        new OutFrames("one"u8).CopyTo(fs);
        Assert.Equal(1, fs.Count);

        fs.Clear();
        byte[][] arrays = ["a"u8.ToArray(), "b"u8.ToArray(), "c"u8.ToArray()];
        var of = new OutFrames(arrays);
        Assert.Equal(3, of.Count);
        of.CopyTo(fs, first: 1);
        Assert.Equal(2, fs.Count);
        Assert.Equal("b"u8.ToArray(), fs.Frame(0).ToArray());

        fs.Clear();
        ReadOnlyMemory<byte>[] mems = ["x"u8.ToArray(), ReadOnlyMemory<byte>.Empty];
        new OutFrames(mems).CopyTo(fs);
        Assert.Equal(2, fs.Count);
        Assert.Equal(0, fs.FrameLength(1));

        fs.Clear();
        using var m = new Message().Add("p"u8).Add("q"u8);
        m.Prefix = [7];
        var om = new OutFrames(m);
        Assert.Equal(3, om.Count);
        Assert.Equal(new byte[] { 7 }, om[0].ToArray());
        om.CopyTo(fs);
        Assert.Equal(3, fs.Count);

        fs.Clear();
        new OutFrames("single"u8).CopyTo(fs, first: 1); // nothing past the only frame
        Assert.Equal(0, fs.Count);
    }
}
