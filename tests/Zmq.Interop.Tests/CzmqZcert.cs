using System.Runtime.InteropServices;

namespace Zmq.Tests.Infrastructure;

/// <summary>The zcert functions the certificate interop tests call.</summary>
internal static partial class Czmq
{
    [DllImport(Lib)] public static extern IntPtr zcert_new();
    [DllImport(Lib)] public static extern void zcert_destroy(ref IntPtr self);
    [DllImport(Lib)] public static extern IntPtr zcert_load([MarshalAs(UnmanagedType.LPUTF8Str)] string filename);
    [DllImport(Lib)] public static extern int zcert_save(IntPtr self, [MarshalAs(UnmanagedType.LPUTF8Str)] string filename);
    [DllImport(Lib)] public static extern IntPtr zcert_public_txt(IntPtr self);
    [DllImport(Lib)] public static extern IntPtr zcert_secret_txt(IntPtr self);
    [DllImport(Lib)] public static extern IntPtr zcert_meta(IntPtr self, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    // Variadic in C (name, format, ...): called with format "%s" and the value as the one variadic
    // argument, which the x86-64 SysV convention passes like a fixed pointer argument.
    [DllImport(Lib)]
    public static extern void zcert_set_meta(IntPtr self, [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string format, [MarshalAs(UnmanagedType.LPUTF8Str)] string value);
}
