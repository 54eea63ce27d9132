using System.Reflection;
using System.Runtime.InteropServices;

namespace Zmq.LibZmq;

/// <summary>The raw libzmq entry points. Everything here is internal: use <see cref="LzSocket"/>.</summary>
internal static unsafe partial class Native
{
    internal const string Lib = "libzmq.so.5";

    /// <summary>Names tried, in order, when the runtime asks for <see cref="Lib"/>.</summary>
    internal static readonly string[] CandidateNames =
        ["libzmq.so.5", "libzmq.so", "libzmq", "libzmq.5.dylib", "libzmq.dylib"];

    private static readonly object LoadLock = new();
    private static IntPtr s_handle;
    private static string? s_loadError;

    static Native()
    {
        // Only this assembly's imports go through the resolver; other assemblies are untouched.
        NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
        => name == Lib ? TryLoad(out _) : IntPtr.Zero;

    /// <summary>Loads libzmq once (first candidate name that loads); never throws.</summary>
    internal static IntPtr TryLoad(out string? error)
    {
        lock (LoadLock)
        {
            if (s_handle == IntPtr.Zero && s_loadError is null)
            {
                foreach (var candidate in CandidateNames)
                {
                    if (NativeLibrary.TryLoad(candidate, typeof(Native).Assembly, null, out s_handle))
                        break;
                }
                if (s_handle == IntPtr.Zero)
                    s_loadError = "libzmq not found (tried " + string.Join(", ", CandidateNames) + ")";
            }
            error = s_loadError;
            return s_handle;
        }
    }

    // Library and errors
    [LibraryImport(Lib)] internal static partial void zmq_version(out int major, out int minor, out int patch);
    [LibraryImport(Lib)] internal static partial int zmq_errno();
    [LibraryImport(Lib)] internal static partial IntPtr zmq_strerror(int errnum);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int zmq_has(string capability);
    [LibraryImport(Lib)] internal static partial int zmq_curve_keypair(byte* publicKey, byte* secretKey);
    [LibraryImport(Lib)] internal static partial int zmq_curve_public(byte* publicKey, byte* secretKey);

    // Context
    [LibraryImport(Lib)] internal static partial IntPtr zmq_ctx_new();
    [LibraryImport(Lib)] internal static partial int zmq_ctx_term(IntPtr context);
    [LibraryImport(Lib)] internal static partial int zmq_ctx_shutdown(IntPtr context);
    [LibraryImport(Lib)] internal static partial int zmq_ctx_set(IntPtr context, int option, int value);
    [LibraryImport(Lib)] internal static partial int zmq_ctx_get(IntPtr context, int option);

    // Socket
    [LibraryImport(Lib)] internal static partial IntPtr zmq_socket(IntPtr context, int type);
    [LibraryImport(Lib)] internal static partial int zmq_close(IntPtr socket);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int zmq_bind(IntPtr socket, string endpoint);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int zmq_connect(IntPtr socket, string endpoint);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int zmq_unbind(IntPtr socket, string endpoint);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int zmq_disconnect(IntPtr socket, string endpoint);
    [LibraryImport(Lib)] internal static partial int zmq_setsockopt(IntPtr socket, int option, void* value, nuint length);
    [LibraryImport(Lib)] internal static partial int zmq_getsockopt(IntPtr socket, int option, void* value, nuint* length);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int zmq_socket_monitor(IntPtr socket, string? endpoint, int events);

    // Messages
    [LibraryImport(Lib)] internal static partial int zmq_send(IntPtr socket, void* buffer, nuint length, int flags);
    [LibraryImport(Lib)] internal static partial int zmq_recv(IntPtr socket, void* buffer, nuint length, int flags);
    [LibraryImport(Lib)] internal static partial int zmq_msg_init(ZmqMsg* msg);
    [LibraryImport(Lib)] internal static partial int zmq_msg_recv(ZmqMsg* msg, IntPtr socket, int flags);
    [LibraryImport(Lib)] internal static partial void* zmq_msg_data(ZmqMsg* msg);
    [LibraryImport(Lib)] internal static partial nuint zmq_msg_size(ZmqMsg* msg);
    [LibraryImport(Lib)] internal static partial int zmq_msg_more(ZmqMsg* msg);
    [LibraryImport(Lib)] internal static partial int zmq_msg_close(ZmqMsg* msg);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr zmq_msg_gets(ZmqMsg* msg, string property);
}

/// <summary>Storage for a zmq_msg_t (64 bytes, pointer-aligned), used only on the stack.</summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal unsafe struct ZmqMsg
{
    private fixed long _storage[8];
}
