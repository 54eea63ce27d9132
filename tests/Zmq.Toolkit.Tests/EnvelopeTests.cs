using Zmq.Tests.Infrastructure;

namespace Zmq.Toolkit.Tests;

/// <summary>zmsg's envelope operations: ours, and the same frames as CZMQ's zmsg_wrap/zmsg_unwrap/zmsg_pushmem.</summary>
public sealed class EnvelopeTests
{
    private static string[] Texts(Message m) => Enumerable.Range(0, m.Count).Select(m.GetString).ToArray();

    [Fact]
    public void WrapUnwrap_PushPop()
    {
        using var body = new Message().Add("body");
        using var wrapped = Envelope.Wrap(body, "addr"u8);
        Assert.Equal(["addr", "", "body"], Texts(wrapped));
        using var unwrapped = Envelope.Unwrap(wrapped, out var address);
        Assert.Equal("addr"u8.ToArray(), address);
        Assert.Equal(["body"], Texts(unwrapped));
        Assert.Equal(["addr", "", "body"], Texts(wrapped)); // left unchanged

        using var noDelimiter = new Message().Add("a").Add("b");
        using var rest = Envelope.Unwrap(noDelimiter, out _);
        Assert.Equal(["b"], Texts(rest)); // a non-empty second frame is body, not delimiter

        using var pushed = Envelope.Push(body, "top"u8);
        Assert.Equal(["top", "body"], Texts(pushed));
        using var popped = Envelope.Pop(pushed, out var top);
        Assert.Equal("top"u8.ToArray(), top);
        Assert.Equal(["body"], Texts(popped));

        using var empty = new Message();
        Assert.Throws<ArgumentException>(() => Envelope.Pop(empty, out _));
        Assert.Throws<ArgumentException>(() => Envelope.Unwrap(empty, out _));
    }

    [SkippableFact]
    public void SameFramesAsCzmq()
    {
        Czmq.Require();
        IntPtr msg = Czmq.zmsg_new();
        try
        {
            Czmq.zmsg_addmem(msg, "body"u8.ToArray(), 4);
            byte[] addr = "addr"u8.ToArray();
            IntPtr frame = Czmq.zframe_new(addr, (UIntPtr)addr.Length);
            Czmq.zmsg_wrap(msg, frame);
            Czmq.zmsg_pushmem(msg, "top"u8.ToArray(), 3);
            IntPtr encoded = Czmq.zmsg_encode(msg);
            byte[] theirs = Czmq.Bytes(encoded);
            Czmq.zframe_destroy(ref encoded);

            using var body = new Message().Add("body");
            using var wrapped = Envelope.Wrap(body, "addr"u8);
            using var ours = Envelope.Push(wrapped, "top"u8);
            Assert.Equal(theirs, Zmsg.Encode(ours));

            // zmsg_unwrap takes "top" as the address (no delimiter after it), as ours does.
            IntPtr unwrapped = Czmq.zmsg_unwrap(msg);
            Assert.Equal("top"u8.ToArray(), Czmq.Bytes(unwrapped));
            Czmq.zframe_destroy(ref unwrapped);
            using var rest = Envelope.Unwrap(ours, out _);
            encoded = Czmq.zmsg_encode(msg);
            Assert.Equal(Czmq.Bytes(encoded), Zmsg.Encode(rest));
            Czmq.zframe_destroy(ref encoded);
        }
        finally
        {
            Czmq.zmsg_destroy(ref msg);
        }
    }
}
