#!/usr/bin/env python3
"""Medians table for bench/run.sh results.

usage: bench/report.py FILE.jsonl [FILE.jsonl ...]

Reads the JSON lines written by bench/run.sh (one per run; lines with "meta" are skipped and
lines with "failed" are counted but not used), and prints markdown tables of the MEDIAN of each
metric per (transport, mechanism, mode, size, lib): one throughput and one latency table per
transport (tcp, ipc, inproc; a line without "transport" is tcp) and security mechanism (NULL,
or CURVE for lines with "curve": true; a line without "curve" is NULL), with ratios against
libzmq over the same transport and mechanism:
  thr: msgs/s, ratio = lib / libzmq (higher is better)
  lat: mean one-way us (p50/p99 round trip), ratio = lib mean / libzmq mean (lower is better)
When a file holds both mechanisms, the tables say which one they show and each CURVE table adds
the cost of CURVE per lib: its CURVE median over its NULL median (same transport and size).
With NULL results only, the output is what it was before CURVE runs existed.
NetMQ has no Unix domain sockets: its ipc:// is TCP on 127.0.0.1, so its ipc column is labeled
as a TCP emulation. Standard library only.
"""
import json
import statistics
import sys
from collections import defaultdict

LIB_ORDER = ["zmq", "netmq", "libzmq"]
TRANSPORT_ORDER = ["tcp", "ipc", "inproc"]
MECH_ORDER = ["null", "curve"]
MECH_NAME = {"null": "NULL", "curve": "CURVE"}
MECH_SETUP = {
    "curve": "CURVE: the bind side is the CURVE server (the fixed benchmark key pair), the connect side a"
             " CURVE client with a fresh key pair; every message is encrypted.",
}
BASE = "libzmq"
TRANSPORT_SETUP = {
    "tcp": "tcp://127.0.0.1, two processes.",
    "ipc": "ipc:// (Unix domain socket), two processes.",
    "inproc": "inproc://, one process: both sockets in one context, each driven by its own thread.",
}
EMULATED = {("netmq", "ipc"): "TCP emulation"}   # (lib, transport) -> what it really measures


def load(paths):
    ok = defaultdict(list)       # (transport, mech, mode, size, lib) -> [record]
    failed = defaultdict(int)    # (transport, mech, mode, size, lib) -> count
    meta = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for number, raw in enumerate(f, 1):
                raw = raw.strip()
                if not raw:
                    continue
                try:
                    rec = json.loads(raw)
                except json.JSONDecodeError:
                    print(f"{path}:{number}: not JSON, skipped", file=sys.stderr)
                    continue
                if rec.get("meta"):
                    meta.append(rec)
                    continue
                mech = "curve" if rec.get("curve") is True else "null"
                key = (rec.get("transport", "tcp"), mech, rec.get("mode"), int(rec.get("size", -1)), rec.get("lib"))
                if rec.get("failed"):
                    failed[key] += 1
                else:
                    ok[key].append(rec)
    return ok, failed, meta


def libs_seen(ok, failed):
    seen = {k[4] for k in list(ok) + list(failed)}
    return [l for l in LIB_ORDER if l in seen] + sorted(seen - set(LIB_ORDER))


def transports_seen(ok, failed):
    seen = {k[0] for k in list(ok) + list(failed)}
    return [t for t in TRANSPORT_ORDER if t in seen] + sorted(seen - set(TRANSPORT_ORDER))


def mechs_seen(ok, failed, transport=None):
    seen = {k[1] for k in list(ok) + list(failed) if transport is None or k[0] == transport}
    return [m for m in MECH_ORDER if m in seen] + sorted(seen - set(MECH_ORDER))


def lib_label(lib, transport):
    """The column name of a lib: 'netmq (ipc = TCP emulation)' where it only emulates the transport."""
    how = EMULATED.get((lib, transport))
    return f"{lib} ({transport} = {how})" if how else lib


def notes(libs, transport, mech):
    lines = [TRANSPORT_SETUP.get(transport, f"{transport}://.")]
    if mech in MECH_SETUP:
        lines.append(MECH_SETUP[mech])
    lines += [f"{lib.capitalize() if lib != 'netmq' else 'NetMQ'} {transport} = {EMULATED[(lib, transport)]}: "
              f"it has no real {transport} transport, its {transport}:// is TCP on 127.0.0.1; "
              f"its ratio compares that with {BASE}'s {transport}."
              for lib in libs if (lib, transport) in EMULATED]
    return lines


def median(recs, field):
    values = [float(r[field]) for r in recs if field in r]
    return statistics.median(values) if values else None


def runs_note(ok, failed, key):
    n, f = len(ok.get(key, [])), failed.get(key, 0)
    return f"{n}" + (f", {f} failed" if f else "")


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def fmt_rate(v):
    if v is None:
        return "-"
    return f"{v / 1e6:.3f} M" if v >= 1e6 else f"{v / 1e3:.1f} k"


def table_head(transport, libs, what, title, mech, cost):
    """cost: the mechanism whose medians the CURVE/NULL columns divide by (None: no such columns)."""
    others = [l for l in libs if l != BASE]
    head = (["size"] + [f"{lib_label(l, transport)} {what} [runs]" for l in libs]
            + [f"{l}/{BASE}" + (f" ({EMULATED[(l, transport)]})" if (l, transport) in EMULATED else "")
               for l in others]
            + ([f"{l} {MECH_NAME.get(mech, mech)}/{MECH_NAME.get(cost, cost)}" for l in libs] if cost else []))
    return others, ([title, ""] + [" ".join(notes(libs, transport, mech)), ""]
                    + ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)])


def mech_title(mech, labelled):
    """' with CURVE' (or ' with NULL' when the file holds other mechanisms too); '' for NULL alone."""
    return f" with {MECH_NAME.get(mech, mech)}" if labelled else ""


def cost_cells(ok, libs, transport, mech, cost, mode, size, field, med):
    """Per lib: its median under mech over its median under cost (same transport, mode, size)."""
    if not cost:
        return []
    return [ratio(med[l], median(ok.get((transport, cost, mode, size, l), []), field)) for l in libs]


def thr_table(ok, failed, libs, sizes, transport, mech, labelled, cost):
    others, lines = table_head(transport, libs, "msg/s (Mb/s)",
                               f"### Throughput, PUSH -> PULL over {transport}{mech_title(mech, labelled)}"
                               " (median msgs/s; ratio: higher is better)", mech, cost)
    for size in sizes:
        med = {l: median(ok.get((transport, mech, "thr", size, l), []), "msgs_per_s") for l in libs}
        cells = [f"{size} B"]
        for l in libs:
            key = (transport, mech, "thr", size, l)
            mbit = median(ok.get(key, []), "mbit_per_s")
            cells.append(f"{fmt_rate(med[l])} ({mbit:.0f}) [{runs_note(ok, failed, key)}]" if med[l] is not None
                         else f"- [{runs_note(ok, failed, key)}]")
        cells += [ratio(med[l], med.get(BASE)) for l in others]
        cells += cost_cells(ok, libs, transport, mech, cost, "thr", size, "msgs_per_s", med)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def lat_table(ok, failed, libs, sizes, transport, mech, labelled, cost):
    others, lines = table_head(transport, libs, "mean us (p50/p99 RT)",
                               f"### Latency, REQ/REP over {transport}{mech_title(mech, labelled)}"
                               " (median of mean one-way us; RT = round trip; ratio: lower is better)", mech, cost)
    for size in sizes:
        med = {l: median(ok.get((transport, mech, "lat", size, l), []), "mean_us") for l in libs}
        cells = [f"{size} B"]
        for l in libs:
            key = (transport, mech, "lat", size, l)
            recs = ok.get(key, [])
            if med[l] is None:
                cells.append(f"- [{runs_note(ok, failed, key)}]")
                continue
            p50, p99 = median(recs, "p50_rt_us"), median(recs, "p99_rt_us")
            cells.append(f"{med[l]:.1f} ({p50:.0f}/{p99:.0f}) [{runs_note(ok, failed, key)}]")
        cells += [ratio(med[l], med.get(BASE)) for l in others]
        cells += cost_cells(ok, libs, transport, mech, cost, "lat", size, "mean_us", med)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ok, failed, meta = load(argv[1:])
    if not ok and not failed:
        print("no results", file=sys.stderr)
        return 1
    libs = libs_seen(ok, failed)
    out = []
    for m in meta:
        out.append(f"Run {m.get('utc')} on {m.get('host')} ({m.get('nproc')} cores): "
                   f"sizes {m.get('sizes')}, transports {m.get('transports', 'tcp')}, "
                   + (f"mechanisms {m.get('mechs')}, " if m.get("mechs", "null") != "null" else "")
                   + f"libs {m.get('libs')}, "
                   f"{m.get('reps')} interleaved rounds, "
                   f"zmq = `{m.get('zmq_cmd')}`")
    labelled = mechs_seen(ok, failed) != ["null"]
    for transport in transports_seen(ok, failed):
        mechs = mechs_seen(ok, failed, transport)
        for mode, table in (("thr", thr_table), ("lat", lat_table)):
            for mech in mechs:
                sizes = sorted({k[3] for k in list(ok) + list(failed)
                                if k[0] == transport and k[1] == mech and k[2] == mode})
                cost = "null" if mech != "null" and "null" in mechs else None
                if sizes:
                    out += ([""] if out else []) + table(ok, failed, libs, sizes, transport, mech, labelled, cost)
    total_failed = sum(failed.values())
    if total_failed:
        out += ["", f"{total_failed} run(s) failed; see the .log beside the .jsonl."]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
