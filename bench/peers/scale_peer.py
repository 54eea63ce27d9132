#!/usr/bin/python3
"""bench/scale.sh's peer: N DEALER sockets in one pyzmq context, all driven by one thread.

Creates N DEALERs (LINGER 0), prints {"prepared":...}, waits for --go FILE, then connects each one
and sends it one message (the connects are asynchronous: all N are under way at once), and waits
for every reply with epoll on the sockets' ZMQ_FD (non-blocking, no thread per socket: a ready FD
means "look at ZMQ_EVENTS", then recv with NOBLOCK until empty; a sweep of the sockets still
waiting every 0.5 s guards against a missed edge). Prints one JSON result line with the wall-clock
times (time.time(), comparable across processes on this machine) of the first connect and of the
last reply, then keeps every connection open until --release FILE exists (so the server can be
measured with all N connected), and exits. Every wait is bounded (--timeout for the replies,
--hold for the release); exit 1 when not every reply arrived.
"""
import argparse
import os
import select
import sys
import time

import zmq

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peerlib import emit, log, raise_nofile, wait_file  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connect", required=True)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--id", default="0")
    ap.add_argument("--size", type=int, default=16)
    ap.add_argument("--go", required=True, help="start when this file exists")
    ap.add_argument("--release", required=True, help="close the connections when this file exists")
    ap.add_argument("--go-timeout", type=float, default=120)
    ap.add_argument("--timeout", type=float, default=120, help="seconds for all replies after the go")
    ap.add_argument("--hold", type=float, default=120, help="at most this long waiting for --release")
    a = ap.parse_args()

    nofile = raise_nofile()
    ctx = zmq.Context()
    # libzmq's default is 1023 sockets per context; each DEALER also holds 2 fds (mailbox + tcp).
    ctx.set(zmq.MAX_SOCKETS, a.n + 64)
    socks = []
    for _ in range(a.n):
        s = ctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        socks.append(s)
    ep = select.epoll(max(a.n, 1))
    by_fd = {}
    for i, s in enumerate(socks):
        fd = s.getsockopt(zmq.FD)
        by_fd[fd] = i
        ep.register(fd, select.EPOLLIN)
    payload = b"x" * a.size
    emit({"prepared": True, "id": a.id, "n": a.n, "nofile": nofile, "max_sockets": ctx.get(zmq.MAX_SOCKETS)})

    if not wait_file(a.go, time.monotonic() + a.go_timeout):
        log(f"scale_peer {a.id}: no go file within {a.go_timeout} s")
        return 1

    pending = set(range(a.n))
    last_reply = None

    def drain(i):
        nonlocal last_reply
        s = socks[i]
        got = False
        while s.getsockopt(zmq.EVENTS) & zmq.POLLIN:
            s.recv(zmq.NOBLOCK)
            got = True
        if got and i in pending:
            pending.discard(i)
            last_reply = time.time()
            ep.unregister(s.getsockopt(zmq.FD))

    first_connect = time.time()
    t0 = time.monotonic()
    for s in socks:
        s.connect(a.connect)
        s.send(payload, zmq.NOBLOCK)
    connect_loop_s = time.monotonic() - t0
    for i in list(pending):
        drain(i)
    deadline = time.monotonic() + a.timeout
    next_sweep = time.monotonic() + 0.5
    while pending and time.monotonic() < deadline:
        for fd, _ in ep.poll(0.1):
            i = by_fd.get(fd)
            if i is not None and i in pending:
                drain(i)
        if time.monotonic() >= next_sweep:
            for i in list(pending):
                drain(i)
            next_sweep = time.monotonic() + 0.5
    ok = not pending
    emit({"id": a.id, "n": a.n, "replies": a.n - len(pending), "ok": ok,
          "first_connect": first_connect, "last_reply": last_reply,
          "connect_loop_s": round(connect_loop_s, 6)})
    if not ok:
        log(f"scale_peer {a.id}: {len(pending)} of {a.n} replies missing after {a.timeout} s")
    wait_file(a.release, time.monotonic() + a.hold, 0.01)
    ep.close()
    for s in socks:
        s.close(0)
    ctx.term()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
