#!/usr/bin/python3
"""bench/hostile.sh's well-behaved peer: one pyzmq DEALER, --warmup round trips (and for at least
--warmup-s seconds) and a pause of --warmup-pause seconds (untimed: a .NET server's tiered JIT gets its hot paths compiled), then
--count round trips of --size bytes to a ROUTER echo server, one at a time; prints one JSON line with the mean, p50, p99,
min and max round trip in microseconds (each timed with perf_counter_ns around send + recv).
Every receive is bounded (--timeout seconds for the whole run): exit 1 when it runs out."""
import argparse
import os
import sys
import time

import zmq

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peerlib import emit, log, percentile, raise_nofile  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connect", required=True)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=1000)
    ap.add_argument("--warmup-s", type=float, default=0,
                    help="warm up for at least this many seconds too (more round trips than --warmup if need be)")
    ap.add_argument("--warmup-pause", type=float, default=0.5,
                    help="seconds of pause after the warm-up (a .NET server's tiered JIT compiles its hot paths meanwhile)")
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    raise_nofile()
    ctx = zmq.Context()
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.connect(a.connect)
    payload = b"x" * a.size
    deadline = time.monotonic() + a.timeout
    rts = []
    t_start = time.monotonic()
    warm_until = t_start + a.warmup_s
    warmups = 0
    i = 0
    while len(rts) < a.count or warmups < a.warmup or time.monotonic() < warm_until:
        warming = warmups < a.warmup or time.monotonic() < warm_until
        if not warming and not rts and warmups and a.warmup_pause > 0:
            time.sleep(a.warmup_pause)
            deadline += a.warmup_pause
        i += 1
        t0 = time.perf_counter_ns()
        s.send(payload)
        while not s.poll(100, zmq.POLLIN):
            if time.monotonic() > deadline:
                log(f"lat_client: no reply to round trip {i} within {a.timeout} s")
                s.close(0)
                ctx.term()
                return 1
        reply = s.recv()
        t1 = time.perf_counter_ns()
        if len(reply) != a.size:
            log(f"lat_client: a {len(reply)}-byte reply, expected {a.size}")
            return 1
        if warming:
            warmups += 1
        else:
            rts.append((t1 - t0) / 1000.0)
    total_s = time.monotonic() - t_start
    rts_sorted = sorted(rts)
    if a.count == 0:
        emit({"count": 0, "warmup": warmups, "warmup_s": round(time.monotonic() - t_start, 3)})
        s.close(0)
        ctx.term()
        return 0
    emit({"count": a.count, "size": a.size, "warmup": warmups,
          "mean_us": round(sum(rts) / len(rts), 3),
          "p50_us": round(percentile(rts_sorted, 0.50), 3),
          "p99_us": round(percentile(rts_sorted, 0.99), 3),
          "min_us": round(rts_sorted[0], 3), "max_us": round(rts_sorted[-1], 3),
          "total_s": round(total_s, 3)})
    s.close(0)
    ctx.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
