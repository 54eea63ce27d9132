using System.Runtime.InteropServices;

namespace Zmq.Io;

/// <summary>
/// Linux epoll, level-triggered, with an eventfd to wake the waiting thread. One epoll instance
/// per I/O thread; a registration's event data carries its slot and a generation, so an event
/// still in flight for a slot that was freed and reused meanwhile is recognised and dropped.
/// </summary>
internal sealed unsafe partial class EpollPoller : IPoller
{
    private const int EpollIn = 0x001, EpollOut = 0x004, EpollErr = 0x008, EpollHup = 0x010, EpollRdHup = 0x2000;
    private const int CtlAdd = 1, CtlDel = 2, CtlMod = 3;
    private const int Cloexec = 0x80000, NonBlock = 0x800;
    private const int EIntr = 4;
    private const ulong WakeData = ulong.MaxValue;
    private const int MaxEvents = 256;

    // struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly int _epfd;
    private readonly int _wakefd;
    private readonly byte* _events;
    private PollHandle?[] _slots = new PollHandle?[64];
    private readonly Stack<int> _free = new();
    private int _nextSlot;
    private bool _disposed;

    public EpollPoller()
    {
        _epfd = epoll_create1(Cloexec);
        if (_epfd < 0) throw new IOException($"epoll_create1 failed (errno {Marshal.GetLastPInvokeError()})");
        _wakefd = eventfd(0, Cloexec | NonBlock);
        if (_wakefd < 0)
        {
            close(_epfd);
            throw new IOException($"eventfd failed (errno {Marshal.GetLastPInvokeError()})");
        }
        _events = (byte*)NativeMemory.Alloc((nuint)(EventSize * MaxEvents));
        Ctl(CtlAdd, _wakefd, EpollIn, WakeData);
    }

    public string Name => "epoll";

    public void Add(PollHandle h)
    {
        int slot = _free.Count > 0 ? _free.Pop() : _nextSlot++;
        if (slot >= _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
        _slots[slot] = h;
        h.Slot = slot;
        h.Generation++;
        h.Registered = true;
        Update(h);
    }

    /// <summary>
    /// A handle that wants nothing is taken out of the kernel's set (EPOLL_CTL_DEL), not left with
    /// an empty mask: epoll reports hang-ups and errors whatever the mask, and level-triggered they
    /// would repeat on every wait while the owner is not reading (e.g. under back-pressure).
    /// </summary>
    public void Update(PollHandle h)
    {
        if (!h.Registered) return;
        int mask = Mask(h);
        if (mask == 0)
        {
            if (!h.InKernel) return;
            var ev = stackalloc byte[16];
            epoll_ctl(_epfd, CtlDel, h.Fd, ev);
            h.InKernel = false;
            return;
        }
        Ctl(h.InKernel ? CtlMod : CtlAdd, h.Fd, mask, Data(h));
        h.InKernel = true;
    }

    public void Remove(PollHandle h)
    {
        if (!h.Registered) return;
        h.Registered = false;
        if (h.InKernel)
        {
            var ev = stackalloc byte[16];
            epoll_ctl(_epfd, CtlDel, h.Fd, ev); // a closed descriptor is already gone: nothing to undo
            h.InKernel = false;
        }
        _slots[h.Slot] = null;
        _free.Push(h.Slot);
        h.Slot = -1;
    }

    public int Wait(int timeoutMs, PollHandle[] ready, IoEvents[] events)
    {
        int max = Math.Min(MaxEvents, ready.Length);
        int n;
        do n = epoll_wait(_epfd, _events, max, timeoutMs);
        while (n < 0 && Marshal.GetLastPInvokeError() == EIntr);
        if (n < 0) throw new IOException($"epoll_wait failed (errno {Marshal.GetLastPInvokeError()})");
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            byte* e = _events + i * EventSize;
            uint mask = *(uint*)e;
            ulong data = *(ulong*)(e + DataOffset);
            if (data == WakeData)
            {
                ulong value;
                read(_wakefd, &value, 8);
                continue;
            }
            int slot = (int)(uint)data;
            uint gen = (uint)(data >> 32);
            var h = (uint)slot < (uint)_slots.Length ? _slots[slot] : null;
            if (h is null || h.Generation != gen) continue;
            var ev = IoEvents.None;
            if ((mask & EpollIn) != 0) ev |= IoEvents.Readable;
            if ((mask & EpollOut) != 0) ev |= IoEvents.Writable;
            if ((mask & (EpollErr | EpollHup | EpollRdHup)) != 0) ev |= IoEvents.Error | IoEvents.Readable;
            ready[count] = h;
            events[count] = ev;
            count++;
        }
        return count;
    }

    public void Wake()
    {
        ulong one = 1;
        write(_wakefd, &one, 8);
    }

    private static int Mask(PollHandle h) => (h.WantRead ? EpollIn : 0) | (h.WantWrite ? EpollOut : 0);

    private static ulong Data(PollHandle h) => ((ulong)h.Generation << 32) | (uint)h.Slot;

    private void Ctl(int op, int fd, int mask, ulong data)
    {
        var ev = stackalloc byte[16];
        *(uint*)ev = (uint)mask;
        *(ulong*)(ev + DataOffset) = data;
        if (epoll_ctl(_epfd, op, fd, ev) != 0)
            throw new IOException($"epoll_ctl({op}) failed for descriptor {fd} (errno {Marshal.GetLastPInvokeError()})");
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        close(_wakefd);
        close(_epfd);
        NativeMemory.Free(_events);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, void* buf, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, void* buf, nint count);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
