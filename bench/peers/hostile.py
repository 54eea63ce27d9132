#!/usr/bin/python3
"""bench/hostile.sh's hostile load: plain TCP connections (the `socket` module, non-blocking, one
epoll, one thread) that do not speak ZMTP.

--silent connections connect and never send a byte; --half connections send the first 5 bytes of a
ZMTP greeting (FF 00 00 00 00: the signature's start) and stall. Whatever the server sends is read
and discarded (so a close is seen at once); nothing more is ever sent. At most --inflight connects
are under way at a time. Prints {"ready":true,...} once all are connected (client side), a status
line every --status-interval seconds, and a final line on SIGTERM/SIGINT (then closes everything
and exits 0). With --maintain a connection the server closes is opened again (of the same kind),
so the load stays while the server times handshakes out; a refused connect is counted, never
retried (the server is gone). Exit 1 when not all are connected within --connect-timeout.
"""
import argparse
import errno
import os
import select
import signal
import socket
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peerlib import emit, log, raise_nofile  # noqa: E402

HALF_GREETING = b"\xff\x00\x00\x00\x00"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--silent", type=int, default=5000)
    ap.add_argument("--half", type=int, default=1000)
    ap.add_argument("--inflight", type=int, default=512)
    ap.add_argument("--connect-timeout", type=float, default=120)
    ap.add_argument("--status-interval", type=float, default=0.25)
    ap.add_argument("--maintain", action="store_true")
    ap.add_argument("--max-s", type=float, default=3600)
    a = ap.parse_args()

    nofile = raise_nofile()
    if a.silent + a.half + 64 > nofile:
        log(f"hostile: {a.silent + a.half} connections need more than the fd limit {nofile}")
        return 1
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    ep = select.epoll()
    conns = {}  # fd -> [socket, kind, connected]
    want = {"silent": a.silent, "half": a.half}
    # the connects still to start, the half ones spread evenly among the silent ones
    total, placed, queued = a.silent + a.half, 0, []
    for i in range(total):
        if placed < (i + 1) * a.half // max(total, 1):
            queued.append("half")
            placed += 1
        else:
            queued.append("silent")
    queued.reverse()  # pop() from the end
    stats = {"open_silent": 0, "open_half": 0, "connecting": 0, "closed_by_server": 0, "reopened": 0,
             "refused": 0, "connect_errors": 0}
    started = time.monotonic()
    ready_sent = False
    next_status = started + a.status_interval
    deadline = started + a.max_s

    def start_connect(kind, reopen=False):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        rc = s.connect_ex((a.host, a.port))
        if rc not in (0, errno.EINPROGRESS):
            s.close()
            if rc == errno.ECONNREFUSED:
                stats["refused"] += 1
            else:
                stats["connect_errors"] += 1
                queued.append(kind)  # e.g. EAGAIN: try again later
            return
        conns[s.fileno()] = [s, kind, False]
        stats["connecting"] += 1
        if reopen:
            stats["reopened"] += 1
        ep.register(s.fileno(), select.EPOLLOUT | select.EPOLLIN | select.EPOLLRDHUP)

    def drop(fd, by_server):
        s, kind, connected = conns.pop(fd)
        try:
            ep.unregister(fd)
        except OSError:
            pass
        s.close()
        if connected:
            stats["open_" + kind] -= 1
        else:
            stats["connecting"] -= 1
        if by_server:
            stats["closed_by_server"] += 1
            if a.maintain and not stop:
                queued.append(kind)
                return True
        return False

    def status(kind="status"):
        o = {kind: True, "t": round(time.monotonic() - started, 3),
             "open": stats["open_silent"] + stats["open_half"]}
        o.update(stats)
        return o

    reopen_pending = 0
    while not stop and time.monotonic() < deadline:
        while queued and stats["connecting"] < a.inflight:
            kind = queued.pop()
            start_connect(kind, reopen=reopen_pending > 0)
            if reopen_pending > 0:
                reopen_pending -= 1
        for fd, ev in ep.poll(0.05):
            c = conns.get(fd)
            if c is None:
                continue
            s, kind, connected = c
            if not connected:
                if ev & (select.EPOLLOUT | select.EPOLLERR | select.EPOLLHUP):
                    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err == 0 and not ev & select.EPOLLHUP:
                        c[2] = True
                        stats["connecting"] -= 1
                        stats["open_" + kind] += 1
                        if kind == "half":
                            try:
                                s.send(HALF_GREETING)
                            except OSError:
                                if drop(fd, True):
                                    reopen_pending += 1
                                continue
                        ep.modify(fd, select.EPOLLIN | select.EPOLLRDHUP)
                    else:
                        if err == errno.ECONNREFUSED:
                            stats["refused"] += 1
                            drop(fd, False)
                        else:
                            stats["connect_errors"] += 1
                            drop(fd, False)
                            if not stop:
                                queued.append(kind)
                    continue
            if ev & (select.EPOLLIN | select.EPOLLRDHUP | select.EPOLLHUP | select.EPOLLERR):
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    if drop(fd, True):
                        reopen_pending += 1
        now = time.monotonic()
        if not ready_sent and stats["open_silent"] == want["silent"] and stats["open_half"] == want["half"]:
            ready_sent = True
            r = status("ready")
            r.update({"silent": a.silent, "half": a.half, "connect_s": round(now - started, 3), "pid": os.getpid()})
            emit(r)
        if not ready_sent and now - started > a.connect_timeout:
            emit(status("not_ready"))
            log(f"hostile: only {stats['open_silent']}+{stats['open_half']} of {a.silent}+{a.half} "
                f"connected after {a.connect_timeout} s")
            return 1
        if now >= next_status:
            emit(status())
            next_status = now + a.status_interval
    emit(status("final"))
    for fd in list(conns):
        conns[fd][0].close()
    ep.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
