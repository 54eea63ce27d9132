using System.Runtime.InteropServices;

namespace Zmq.Tests.Infrastructure;

/// <summary>CZMQ's zgossip actor, driven through libczmq's zactor and zmsg calls.</summary>
internal static partial class Czmq
{
    [DllImport(Lib)] private static extern IntPtr zactor_new(IntPtr task, IntPtr args);
    [DllImport(Lib)] private static extern void zactor_destroy(ref IntPtr self);
    [DllImport(Lib)] private static extern IntPtr zactor_sock(IntPtr self);
    [DllImport(Lib)] private static extern int zmsg_addstr(IntPtr self, [MarshalAs(UnmanagedType.LPUTF8Str)] string text);
    [DllImport(Lib)] private static extern int zmsg_send(ref IntPtr self, IntPtr dest);
    [DllImport(Lib)] private static extern IntPtr zmsg_popstr(IntPtr self);
    [DllImport(Lib)] private static extern void zstr_free(ref IntPtr text);

    /// <summary>A CZMQ zgossip node (an actor in libczmq, on libzmq), with its pipe's receive time-out.</summary>
    public sealed class GossipNode : IDisposable
    {
        private static readonly IntPtr Name = Marshal.StringToHGlobalAnsi("czmq");
        private IntPtr _actor;

        public GossipNode()
        {
            Require();
            var task = NativeLibrary.GetExport(NativeLibrary.Load(Lib), "zgossip");
            _actor = zactor_new(task, Name);
            Xunit.Assert.NotEqual(IntPtr.Zero, _actor);
            zsock_set_rcvtimeo(zactor_sock(_actor), 200);
        }

        /// <summary>Sends one command (its frames) to the actor.</summary>
        public void Send(params string[] frames)
        {
            IntPtr msg = zmsg_new();
            foreach (var f in frames) zmsg_addstr(msg, f);
            Xunit.Assert.Equal(0, zmsg_send(ref msg, _actor));
        }

        /// <summary>The next message from the actor as strings, or null within 200 ms.</summary>
        public string[]? Receive()
        {
            IntPtr msg = zmsg_recv(_actor);
            if (msg == IntPtr.Zero) return null;
            var frames = new List<string>();
            while (zmsg_size(msg) > 0)
            {
                IntPtr s = zmsg_popstr(msg);
                frames.Add(Marshal.PtrToStringUTF8(s) ?? "");
                zstr_free(ref s);
            }
            zmsg_destroy(ref msg);
            return [.. frames];
        }

        /// <summary>Waits (bounded) for a message starting with <paramref name="first"/> (and <paramref name="second"/> when given).</summary>
        public string[]? WaitFor(string first, TimeSpan limit, string? second = null)
        {
            var deadline = DateTime.UtcNow + limit;
            while (DateTime.UtcNow < deadline)
                if (Receive() is { } m && m.Length > 0 && m[0] == first && (second is null || m.Length > 1 && m[1] == second)) return m;
            return null;
        }

        public void Dispose()
        {
            if (_actor != IntPtr.Zero) zactor_destroy(ref _actor);
        }
    }
}
