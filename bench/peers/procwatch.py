#!/usr/bin/python3
"""Samples a process's /proc/PID/status (Threads, VmRSS, VmHWM) every --interval seconds until the
process is gone, SIGTERM/SIGINT arrives, or --max-s elapsed; then prints one JSON line with the
peaks. With --max-threads T it kills the process (SIGKILL) once it has more than T threads, so a
runaway thread-per-connection engine cannot take the machine down, and says so ("killed").

`procwatch.py --once PID` prints one sample and exits (the scripts' "threads now")."""
import argparse
import os
import signal
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peerlib import emit  # noqa: E402


def sample(pid):
    """{"threads","rss_kb","hwm_kb"} of pid, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except OSError:
        return None
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key == "Threads":
            out["threads"] = int(value)
        elif key == "VmRSS":
            out["rss_kb"] = int(value.split()[0])
        elif key == "VmHWM":
            out["hwm_kb"] = int(value.split()[0])
        elif key == "State" and value.strip().startswith("Z"):
            return None
    return out if "threads" in out else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pid", type=int)
    ap.add_argument("--once", action="store_true")
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("--max-s", type=float, default=3600)
    ap.add_argument("--max-threads", type=int, default=0)
    a = ap.parse_args()

    if a.once:
        s = sample(a.pid)
        emit(s if s else {"gone": True})
        return 0

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    peak = {"threads_peak": 0, "rss_peak_kb": 0, "hwm_kb": 0, "samples": 0, "killed": False}
    deadline = time.monotonic() + a.max_s
    while not stop and time.monotonic() < deadline:
        s = sample(a.pid)
        if s is None:
            break
        peak["samples"] += 1
        peak["threads_peak"] = max(peak["threads_peak"], s["threads"])
        peak["rss_peak_kb"] = max(peak["rss_peak_kb"], s.get("rss_kb", 0))
        peak["hwm_kb"] = max(peak["hwm_kb"], s.get("hwm_kb", 0))
        if a.max_threads and s["threads"] > a.max_threads:
            try:
                os.kill(a.pid, signal.SIGKILL)
            except OSError:
                pass
            peak["killed"] = True
            peak["reason"] = f"more than {a.max_threads} threads ({s['threads']}): killed"
            break
        time.sleep(a.interval)
    emit(peak)
    return 0


if __name__ == "__main__":
    sys.exit(main())
