using System.Runtime.InteropServices;

namespace Zmq.Tests.Infrastructure;

/// <summary>The CZMQ functions the toolkit tests call.</summary>
internal static partial class Czmq
{
    [DllImport(Lib)] public static extern IntPtr zmsg_new();
    [DllImport(Lib)] public static extern void zmsg_destroy(ref IntPtr self);
    [DllImport(Lib)] public static extern int zmsg_addmem(IntPtr self, byte[] data, UIntPtr size);
    [DllImport(Lib)] public static extern UIntPtr zmsg_size(IntPtr self);
    [DllImport(Lib)] public static extern IntPtr zmsg_pop(IntPtr self);
    [DllImport(Lib)] public static extern IntPtr zmsg_encode(IntPtr self);
    [DllImport(Lib)] public static extern IntPtr zmsg_decode(IntPtr frame);
    [DllImport(Lib)] public static extern IntPtr zframe_new(byte[] data, UIntPtr size);
    [DllImport(Lib)] public static extern IntPtr zframe_data(IntPtr self);
    [DllImport(Lib)] public static extern UIntPtr zframe_size(IntPtr self);
    [DllImport(Lib)] public static extern void zframe_destroy(ref IntPtr self);
    [DllImport(Lib)] public static extern IntPtr zsock_new_pair([MarshalAs(UnmanagedType.LPUTF8Str)] string endpoints);
    [DllImport(Lib)] public static extern void zsock_destroy(ref IntPtr self);
    [DllImport(Lib)] public static extern int zsock_signal(IntPtr self, byte status);
    [DllImport(Lib)] public static extern int zsock_wait(IntPtr self);
    [DllImport(Lib)] public static extern void zsock_set_rcvtimeo(IntPtr self, int timeout);
    [DllImport(Lib)] public static extern void zsock_set_linger(IntPtr self, int linger);

    // zsock_send / zsock_recv are variadic: declared here with the one argument list the tests use.
    // On x86-64 System V, variadic integer and pointer arguments travel exactly as fixed ones (the
    // first six in registers, the rest in 8-byte stack slots); AL only bounds the vector registers.
    [DllImport(Lib, EntryPoint = "zsock_send")]
    public static extern int zsock_send_all(IntPtr self, [MarshalAs(UnmanagedType.LPUTF8Str)] string picture,
        int i, int one, int two, uint four, uint u, ulong eight, [MarshalAs(UnmanagedType.LPUTF8Str)] string s, byte[] b, int blen);

    [DllImport(Lib, EntryPoint = "zsock_recv")]
    public static extern int zsock_recv_all(IntPtr self, [MarshalAs(UnmanagedType.LPUTF8Str)] string picture,
        out int i, out byte one, out ushort two, out uint four, out uint u, out ulong eight, out IntPtr s, out IntPtr b, out UIntPtr blen);

    [DllImport(Lib)] public static extern IntPtr zmsg_recv(IntPtr self);
    [DllImport(Lib)] public static extern void zmsg_wrap(IntPtr self, IntPtr frame); // takes the frame over
    [DllImport(Lib)] public static extern IntPtr zmsg_unwrap(IntPtr self);
    [DllImport(Lib)] public static extern int zmsg_pushmem(IntPtr self, byte[] data, UIntPtr size);

    /// <summary>A CZMQ PAIR connected to <paramref name="endpoint"/>, linger 0, receive time-out 5 s.</summary>
    public static IntPtr Pair(string endpoint)
    {
        IntPtr pair = zsock_new_pair(">" + endpoint);
        Xunit.Assert.NotEqual(IntPtr.Zero, pair);
        zsock_set_linger(pair, 0);
        zsock_set_rcvtimeo(pair, 5000);
        return pair;
    }

    /// <summary>The bytes of a zframe.</summary>
    public static byte[] Bytes(IntPtr frame)
    {
        var bytes = new byte[(int)zframe_size(frame)];
        if (bytes.Length > 0) Marshal.Copy(zframe_data(frame), bytes, 0, bytes.Length);
        return bytes;
    }
}
