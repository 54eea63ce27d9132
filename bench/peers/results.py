#!/usr/bin/python3
"""Results of bench/scale.sh, hostile.sh and fanout.sh.

  results.py collect (scale|hostile|fanout) RUN_DIR key=value...
      reads the files one run left in RUN_DIR (the processes' JSON lines, /proc samples, the
      script's notes) and prints that run's JSON result line (the key=value pairs go in first).
  results.py report FILE.jsonl
      prints the markdown tables of medians (over the runs that succeeded) of a results file.
"""
import glob
import json
import os
import statistics
import sys


def lines(path):
    out = []
    try:
        with open(path) as f:
            for raw in f:
                raw = raw.strip()
                if raw.startswith("{") and raw.endswith("}"):
                    try:
                        out.append(json.loads(raw))
                    except ValueError:
                        pass
    except OSError:
        pass
    return out


def first(objs, key):
    for o in objs:
        if key in o:
            return o
    return None


def last(objs, key=None):
    for o in reversed(objs):
        if key is None or key in o:
            return o
    return None


def text(path, default=None):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def num(path):
    t = text(path)
    try:
        return int(t) if t is not None else None
    except ValueError:
        return None


def kv_args(args):
    rec = {}
    for a in args:
        k, _, v = a.partition("=")
        if v in ("true", "false"):
            rec[k] = v == "true"
        else:
            try:
                rec[k] = int(v)
            except ValueError:
                try:
                    rec[k] = float(v)
                except ValueError:
                    rec[k] = v
    return rec


def server_part(d, rec, reasons):
    """Fields every kind shares: the server's ready/close lines, exit, /proc peaks."""
    srv = lines(os.path.join(d, "srv.out"))
    done = first(srv, "dispose_ms")
    rc = num(os.path.join(d, "srv.rc"))
    pw = last(lines(os.path.join(d, "pw.out"))) or {}
    rec["dispose_ms"] = done.get("dispose_ms") if done else None
    rec["exit_ms"] = num(os.path.join(d, "srv.exit_ms"))
    rec["threads_peak"] = pw.get("threads_peak")
    rec["rss_peak_kb"] = pw.get("rss_peak_kb")
    rec["hwm_kb"] = pw.get("hwm_kb")
    if pw.get("killed"):
        reasons.append("server " + pw.get("reason", "killed by procwatch"))
    if rc is None:
        if not reasons:
            reasons.append("server never ran to its end")
    elif rc != 0:
        reasons.append(f"server exit {rc}" + (" (timeout)" if rc == 124 else ""))
    elif done is None:
        reasons.append("server printed no close line")
    return srv, done


def sample(d, name):
    s = last(lines(os.path.join(d, "now." + name))) or {}
    return s if "threads" in s else {}


def finish(rec, reasons):
    rec["ok"] = not reasons
    if reasons:
        rec["reason"] = "; ".join(dict.fromkeys(reasons))
    return rec


def collect_scale(d, rec):
    reasons = [r for r in (text(os.path.join(d, "fail"), "") or "").splitlines() if r]
    server_part(d, rec, reasons)
    results = []
    for p in sorted(glob.glob(os.path.join(d, "peer.*.out"))):
        r = first(lines(p), "replies")
        i = p.rsplit(".", 2)[-2]
        if r is None:
            reasons.append(f"peer {i}: no result")
            continue
        results.append(r)
        if not r.get("ok"):
            reasons.append(f"peer {i}: {r.get('replies')} of {r.get('n')} replies")
        prc = num(os.path.join(d, f"peer.{i}.rc"))
        if prc not in (0, None) and r.get("ok"):
            reasons.append(f"peer {i} exit {prc}")
    rec["replies"] = sum(r.get("replies", 0) for r in results)
    if results and all(r.get("last_reply") for r in results):
        start = min(r["first_connect"] for r in results)
        end = max(r["last_reply"] for r in results)
        rec["elapsed_ms"] = round((end - start) * 1000, 3)
        rec["connect_loop_ms"] = round(max(r.get("connect_loop_s", 0) for r in results) * 1000, 3)
    else:
        rec["elapsed_ms"] = None
    idle = sample(d, "idle")
    conn = sample(d, "connected")
    rec["threads_idle"] = idle.get("threads")
    rec["threads_connected"] = conn.get("threads")
    rec["rss_connected_kb"] = conn.get("rss_kb")
    rec["conns_established"] = num(os.path.join(d, "conns.connected"))
    if rec.get("n") and rec["replies"] != rec["n"] and not reasons:
        reasons.append(f"{rec['replies']} of {rec['n']} replies")
    return finish(rec, reasons)


def collect_hostile(d, rec):
    reasons = [r for r in (text(os.path.join(d, "fail"), "") or "").splitlines() if r]
    server_part(d, rec, reasons)
    for phase in ("quiet", "loaded"):
        r = last(lines(os.path.join(d, f"lat.{phase}.out")), "mean_us")
        if r is None:
            reasons.append(f"no {phase} latency result")
            rec[f"{phase}_mean_us"] = rec[f"{phase}_p99_us"] = None
            continue
        rec[f"{phase}_mean_us"] = r["mean_us"]
        rec[f"{phase}_p50_us"] = r["p50_us"]
        rec[f"{phase}_p99_us"] = r["p99_us"]
        rec[f"{phase}_max_us"] = r["max_us"]
    if rec.get("quiet_mean_us") and rec.get("loaded_mean_us"):
        rec["ratio_mean"] = round(rec["loaded_mean_us"] / rec["quiet_mean_us"], 3)
        rec["ratio_p99"] = round(rec["loaded_p99_us"] / rec["quiet_p99_us"], 3)
    q = sample(d, "quiet")
    a = sample(d, "loaded")
    b = sample(d, "loaded_end")
    rec["threads_quiet"] = q.get("threads")
    loaded = [s["threads"] for s in (a, b) if s]
    rec["threads_loaded"] = max(loaded) if loaded else None
    rec["rss_loaded_kb"] = max([s.get("rss_kb", 0) for s in (a, b) if s] or [0]) or None
    rec["conns_established"] = num(os.path.join(d, "conns.loaded"))
    rec["accept_queue"] = num(os.path.join(d, "acceptq.loaded"))
    rec["accept_drain_ms"] = num(os.path.join(d, "drain.ms"))
    hl = lines(os.path.join(d, "hostile.out"))
    ready = first(hl, "ready")
    at_stop = last(lines(os.path.join(d, "hostile.at_stop")), "open")
    fin = last(hl, "final")
    if ready is None and os.path.exists(os.path.join(d, "hostile.out")):
        reasons.append("hostile connections never all open")
    else:
        rec["hostile_connect_ms"] = round(ready.get("connect_s", 0) * 1000, 1)
    if at_stop:
        rec["hostile_open_at_stop"] = at_stop.get("open")
        rec["closed_by_server_before_stop"] = at_stop.get("closed_by_server")
        rec["reopened_before_stop"] = at_stop.get("reopened")
    if fin:
        rec["hostile_refused"] = fin.get("refused")
    want = (rec.get("silent") or 0) + (rec.get("half") or 0)
    if at_stop and want and at_stop.get("open", 0) < want and not reasons:
        # not a failure: the server closed some (e.g. HANDSHAKE_IVL) faster than they came back
        rec["note"] = f"only {at_stop.get('open')} of {want} hostile connections open at the stop"
    return finish(rec, reasons)


def collect_fanout(d, rec):
    reasons = [r for r in (text(os.path.join(d, "fail"), "") or "").splitlines() if r]
    srv, _ = server_part(d, rec, reasons)
    pub = last(srv, "send_s")
    if pub:
        rec["pub_send_s"] = pub.get("send_s")
        rec["pub_send_msgs_per_s"] = pub.get("send_msgs_per_s")
    r = last(lines(os.path.join(d, "sub.out")), "received_total")
    if r is None:
        reasons.append("no subscriber result")
    else:
        for k in ("subs", "count", "received_min", "received_max", "received_total", "complete_subs",
                  "got_end", "elapsed_s", "msgs_per_s", "deliveries_per_s", "connect_s"):
            rec[k] = r.get(k)
        if r.get("complete_subs") != r.get("subs"):
            rec["drops"] = True
            # drops are a result, not a failure: the table shows them
    return finish(rec, reasons)


# ------------------------------------------------------------------------------------- report

def med(values):
    values = [v for v in values if isinstance(v, (int, float))]
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    if v is None:
        return "-"
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def groups(recs, key):
    g = {}
    for r in recs:
        g.setdefault(key(r), []).append(r)
    return g


def lib_order(lib):
    return {"zmq": 0, "libzmq": 1}.get(lib, 2)


def report_scale(recs, meta):
    runs = [r for r in recs if not r.get("probe")]
    t1 = {lib: med([r.get("threads_connected") for r in rs if r.get("ok")])
          for (lib, n), rs in groups(runs, lambda r: (r["lib"], r["n"])).items() if n == 1}
    rows = []
    for (lib, n), rs in sorted(groups(runs, lambda r: (r["lib"], r["n"])).items(),
                               key=lambda kv: (kv[0][1], lib_order(kv[0][0]))):
        ok = [r for r in rs if r.get("ok")]
        tn = med([r.get("threads_connected") for r in ok])
        base = t1.get(lib)
        skipped = [r for r in rs if r.get("skipped")]
        if skipped and not ok:
            rows.append([lib, f"{n:,}", f"0/{len(rs)}", "skipped: " + skipped[0].get("reason", "")] + [""] * 7)
            continue
        rows.append([
            lib, f"{n:,}", f"{len(ok)}/{len(rs)}",
            fmt(med([r.get("elapsed_ms") for r in ok]), 1),
            fmt(tn), fmt(base), fmt(tn - base) if tn is not None and base is not None else "-",
            fmt(med([r.get("threads_peak") for r in ok])),
            fmt(med([r.get("hwm_kb") for r in ok]) / 1024, 1) if med([r.get("hwm_kb") for r in ok]) else "-",
            fmt(med([r.get("conns_established") for r in ok])),
            fmt(med([r.get("dispose_ms") for r in ok]), 1),
        ])
    print(f"## scale: ROUTER echo, N DEALER connections (backlog {meta.get('backlog', '?')}), medians\n")
    print(table(["lib", "N", "ok", "first connect -> all replies (ms)", "threads @N", "threads @1",
                 "@N - @1", "peak threads", "peak RSS (MB, VmHWM)", "conns seen", "close (ms)"], rows))


def report_hostile(recs, meta):
    rows = []
    for (lib, s, h), rs in sorted(groups(recs, lambda r: (r["lib"], r.get("silent"), r.get("half"))).items(),
                                  key=lambda kv: (kv[0][1] or 0, kv[0][2] or 0, lib_order(kv[0][0]))):
        ok = [r for r in rs if r.get("ok")]
        m = lambda k, d=1: fmt(med([r.get(k) for r in ok]), d)  # noqa: E731
        rows.append([lib, f"{s:,}+{h:,}", f"{len(ok)}/{len(rs)}", m("quiet_mean_us"), m("quiet_p99_us"),
                     m("loaded_mean_us"), m("loaded_p99_us"), m("ratio_mean", 2), m("ratio_p99", 2),
                     m("threads_quiet", 0), m("threads_loaded", 0), m("hostile_open_at_stop", 0),
                     m("dispose_ms"), m("exit_ms", 0)])
    print(f"## hostile: {meta.get('count', '?')} round trips of {meta.get('size', '?')} B, quiet vs. "
          "with SILENT silent + HALF half-greeting connections open, medians\n")
    print(table(["lib", "silent+half", "ok", "quiet mean (us)", "quiet p99 (us)", "loaded mean (us)",
                 "loaded p99 (us)", "mean x", "p99 x", "threads quiet", "threads loaded",
                 "hostile open at close", "close (ms)", "SIGTERM -> exit (ms)"], rows))


def report_fanout(recs, meta):
    rows = []
    for (lib, subs, count), rs in sorted(groups(recs, lambda r: (r["lib"], r.get("subs"), r.get("count"))).items(),
                                         key=lambda kv: (kv[0][1] or 0, kv[0][2] or 0, lib_order(kv[0][0]))):
        ok = [r for r in rs if r.get("ok")]
        m = lambda k, d=0: fmt(med([r.get(k) for r in ok]), d)  # noqa: E731
        complete = [f"{r.get('complete_subs')}/{r.get('subs')}" for r in ok]
        rows.append([lib, f"{subs}", f"{count:,}" if count else "-", f"{len(ok)}/{len(rs)}",
                     m("msgs_per_s"), m("deliveries_per_s"), m("pub_send_msgs_per_s"),
                     m("received_min"), m("received_max"), " ".join(complete) or "-",
                     m("threads_peak"), fmt(med([r.get("hwm_kb") for r in ok]) / 1024, 1) if med([r.get("hwm_kb") for r in ok]) else "-"])
    print(f"## fanout: PUB -> SUBS subscribers (one pyzmq process), {meta.get('size', '?')} B, "
          f"nodrop={meta.get('nodrop', '?')} hwm={meta.get('hwm', '?')}, medians\n")
    print(table(["lib (PUB)", "subs", "count", "ok", "msgs/s to all subs", "deliveries/s", "PUB send msgs/s",
                 "min recv/sub", "max recv/sub", "subs complete (each run)", "PUB peak threads",
                 "PUB peak RSS (MB)"], rows))


def report(path):
    recs = lines(path)
    meta = first(recs, "meta") or {}
    data = [r for r in recs if not r.get("meta")]
    kind = meta.get("bench") or (data[0].get("bench") if data else None)
    if not data:
        print(f"(no runs in {path})")
        return 0
    {"scale": report_scale, "hostile": report_hostile, "fanout": report_fanout}[kind](data, meta)
    failed = [r for r in data if not r.get("ok")]
    if failed:
        print("\nfailed or skipped runs:")
        for r in failed:
            what = " ".join(f"{k}={r[k]}" for k in ("rep", "lib", "n", "silent", "half", "subs") if k in r)
            print(f"- {what}: {r.get('reason', '?')}")
    print(f"\n(raw: {path})")
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "collect":
        kind, d = argv[1], argv[2]
        rec = {"bench": kind}
        rec.update(kv_args(argv[3:]))
        fn = {"scale": collect_scale, "hostile": collect_hostile, "fanout": collect_fanout}[kind]
        print(json.dumps(fn(d, rec), separators=(",", ":")))
        return 0
    if len(argv) == 2 and argv[0] == "report":
        return report(argv[1])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
