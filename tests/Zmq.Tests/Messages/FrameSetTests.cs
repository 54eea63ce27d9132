using Zmq.Messages;

namespace Zmq.Tests.Messages;

public class FrameSetTests
{
    [Fact]
    public void Add_PacksFramesIntoOneBuffer()
    {
        var fs = new FrameSet();
        fs.Add("ab"u8);
        fs.Add([]);
        fs.Add("cde"u8);
        Assert.Equal(3, fs.Count);
        Assert.Equal(5, fs.Length);
        Assert.Equal("ab"u8.ToArray(), fs.Frame(0).ToArray());
        Assert.True(fs.Frame(1).IsEmpty);
        Assert.Equal("cde"u8.ToArray(), fs.Frame(2).ToArray());
        Assert.Equal([2, 0, 3], new[] { fs.FrameLength(0), fs.FrameLength(1), fs.FrameLength(2) });
        Assert.Equal([0, 2, 2], new[] { fs.Start(0), fs.Start(1), fs.Start(2) });
        Assert.Equal("cde"u8.ToArray(), fs.FrameMemory(2).ToArray());
    }

    [Fact]
    public void ManyFrames_GrowTheIndex()
    {
        var fs = new FrameSet();
        for (int i = 0; i < 100; i++) fs.Add([(byte)i]);
        Assert.Equal(100, fs.Count);
        for (int i = 0; i < 100; i++) Assert.Equal((byte)i, fs.Frame(i)[0]);
    }

    [Fact]
    public void LargeFrames_GrowTheBuffer_KeepingEarlierFrames()
    {
        var fs = new FrameSet();
        var a = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var b = new byte[1 << 20];
        new Random(2).NextBytes(b);
        fs.Add(a);
        fs.Add(b);
        Assert.Equal(a, fs.Frame(0).ToArray());
        Assert.Equal(b, fs.Frame(1).ToArray());
    }

    [Fact]
    public void AddUninitialized_ReturnsTheFrameToFill()
    {
        var fs = new FrameSet();
        fs.Add("x"u8);
        var span = fs.AddUninitialized(3);
        "abc"u8.CopyTo(span);
        Assert.Equal("abc"u8.ToArray(), fs.Frame(1).ToArray());
        Assert.Equal(4, fs.Length);
    }

    [Fact]
    public void Clear_KeepsTheBuffer_ResetsKind()
    {
        var fs = new FrameSet();
        fs.Add(new byte[1000]);
        fs.Kind = FrameSetKind.Cancel;
        var data = fs.Data;
        fs.Clear();
        Assert.Equal(0, fs.Count);
        Assert.Equal(0, fs.Length);
        Assert.Equal(FrameSetKind.Data, fs.Kind);
        Assert.Same(data, fs.Data);
    }

    [Fact]
    public void Recycle_ReleasesOversizedBuffers_KeepsSmallOnes()
    {
        var small = new FrameSet();
        small.Add(new byte[1000]);
        var smallData = small.Data;
        small.Recycle();
        Assert.Same(smallData, small.Data);

        var big = new FrameSet();
        big.Add(new byte[FrameSet.RetainLimit + 1]);
        big.Recycle();
        Assert.Empty(big.Data);
        Assert.Equal(0, big.Count);
    }

    [Fact]
    public void Grow_CapsAtRetainLimitForSmallNeeds()
    {
        var fs = new FrameSet();
        fs.Add(new byte[200_000]);
        fs.Add(new byte[50_000]); // 250,000 <= RetainLimit: doubling is capped so the buffer stays reusable
        Assert.True(fs.Data.Length <= FrameSet.RetainLimit);
    }

    [Fact]
    public void AddFrom_CopiesFramesFromIndex()
    {
        var src = new FrameSet();
        src.Add("id"u8);
        src.Add([]);
        src.Add("body"u8);
        var dst = new FrameSet();
        dst.Add("x"u8);
        dst.AddFrom(src, 1);
        Assert.Equal(3, dst.Count);
        Assert.Equal("x"u8.ToArray(), dst.Frame(0).ToArray());
        Assert.True(dst.Frame(1).IsEmpty);
        Assert.Equal("body"u8.ToArray(), dst.Frame(2).ToArray());
    }
}
