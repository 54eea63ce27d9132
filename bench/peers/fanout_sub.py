#!/usr/bin/python3
"""bench/fanout.sh's subscriber process: --subs SUB sockets in one pyzmq context (one thread,
zmq.Poller), each subscribed to everything and connected to the PUB.

Phase 1: waits until every SUB has received something (the PUB's "W" warm-ups), then prints
{"ready":true,...}: all are connected and subscribed, the script may tell the PUB to start.
Phase 2: counts, per SUB, the data messages ("D"...) until that SUB gets an end marker ("E");
stops when every SUB has its end marker, or nothing arrived for --idle seconds, or --timeout.
Prints one JSON line: per-SUB counts (min, max, total, how many SUBs got all --count), the time
from the first to the last data message received across all SUBs, messages/s (count / time: each
message delivered to every SUB) and deliveries/s (all received / time). Times are taken once per
drained batch (at most --batch messages of one SUB), which is far below the run's length.
Exit 0 whenever a result was printed (drops are a result: see complete_subs).
"""
import argparse
import os
import sys
import time

import zmq

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peerlib import emit, log, raise_nofile  # noqa: E402

D, E = ord("D"), ord("E")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connect", required=True)
    ap.add_argument("--subs", type=int, default=100)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--rcvhwm", type=int, default=-1, help="RCVHWM of every SUB (-1: pyzmq's default)")
    ap.add_argument("--ready-timeout", type=float, default=60)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--idle", type=float, default=10)
    ap.add_argument("--batch", type=int, default=1000)
    a = ap.parse_args()

    raise_nofile()
    ctx = zmq.Context()
    ctx.set(zmq.MAX_SOCKETS, a.subs + 64)
    socks = []
    poller = zmq.Poller()
    t_start = time.monotonic()
    for _ in range(a.subs):
        s = ctx.socket(zmq.SUB)
        s.setsockopt(zmq.LINGER, 0)
        if a.rcvhwm >= 0:
            s.setsockopt(zmq.RCVHWM, a.rcvhwm)
        s.setsockopt(zmq.SUBSCRIBE, b"")
        s.connect(a.connect)
        socks.append(s)
        poller.register(s, zmq.POLLIN)
    index = {s: i for i, s in enumerate(socks)}
    counts = [0] * a.subs
    ended = [False] * a.subs
    seen = [False] * a.subs
    unseen = a.subs
    batch = a.batch
    NB = zmq.NOBLOCK

    # phase 1: every SUB hears the warm-ups
    deadline = time.monotonic() + a.ready_timeout
    while unseen:
        if time.monotonic() > deadline:
            log(f"fanout_sub: only {a.subs - unseen} of {a.subs} SUBs heard the PUB within {a.ready_timeout} s")
            emit({"ready": False, "heard": a.subs - unseen})
            return 1
        for s, _ in poller.poll(100):
            i = index[s]
            for _ in range(batch):
                try:
                    m = s.recv(NB)
                except zmq.Again:
                    break
                if m[0] == D:
                    counts[i] += 1
                elif m[0] == E:
                    ended[i] = True
            if not seen[i]:
                seen[i] = True
                unseen -= 1
    emit({"ready": True, "subs": a.subs, "connect_s": round(time.monotonic() - t_start, 3)})

    # phase 2: the stream
    first = last = None
    left = sum(1 for e in ended if not e)
    for i, e in enumerate(ended):
        if e:
            poller.unregister(socks[i])
    deadline = time.monotonic() + a.timeout
    last_activity = time.monotonic()
    perf = time.perf_counter
    while left:
        now = time.monotonic()
        if now > deadline or now - last_activity > a.idle:
            break
        ready = poller.poll(100)
        if not ready:
            continue
        for s, _ in ready:
            i = index[s]
            t_before = perf()
            got = 0
            for _ in range(batch):
                try:
                    m = s.recv(NB)
                except zmq.Again:
                    break
                c = m[0]
                if c == D:
                    got += 1
                elif c == E:
                    ended[i] = True
                    left -= 1
                    poller.unregister(s)
                    break
            if got:
                counts[i] += got
                if first is None:
                    first = t_before
                last = perf()
                last_activity = time.monotonic()
    elapsed = (last - first) if first is not None and last is not None else None
    total = sum(counts)
    rec = {"subs": a.subs, "count": a.count, "received_min": min(counts), "received_max": max(counts),
           "received_total": total, "complete_subs": sum(1 for c in counts if c == a.count),
           "got_end": sum(1 for e in ended if e), "elapsed_s": round(elapsed, 6) if elapsed else None,
           "msgs_per_s": round(a.count / elapsed, 1) if elapsed else None,
           "deliveries_per_s": round(total / elapsed, 1) if elapsed else None,
           "connect_s": round(time.monotonic() - t_start, 3)}
    if left:
        rec["stopped"] = "idle" if time.monotonic() <= deadline else "timeout"
    emit(rec)
    for s in socks:
        s.close(0)
    ctx.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
