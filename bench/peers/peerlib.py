"""Shared helpers of the python peers of bench/scale.sh, hostile.sh and fanout.sh."""
import json
import os
import resource
import sys
import time


def raise_nofile():
    """Raises RLIMIT_NOFILE's soft limit to the hard limit; returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft


def emit(obj):
    """One JSON line on stdout, flushed at once (the driving script waits for it)."""
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def wait_file(path, deadline, interval=0.001):
    """Waits until path exists; False when the monotonic deadline passed first."""
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


def percentile(sorted_values, q):
    """Nearest-rank percentile, as bench/Shared/BenchReport.cs computes it."""
    if not sorted_values:
        return float("nan")
    import math
    rank = int(math.ceil(q * len(sorted_values)))
    return sorted_values[min(max(rank - 1, 0), len(sorted_values) - 1)]
