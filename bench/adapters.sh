#!/usr/bin/env bash
# Throughput of Zmq.Toolkit's adapters against the bare socket, interleaved in one run, medians.
#
# Each round runs, for every transport in TRANSPORTS, every variant in VARIANTS, one after the
# other (so that bare and adapters see the same machine):
#   bare            `zmq bench thr`: PUSH SendAndDispose -> PULL Receive, the bare socket both sides
#   recv:ADAPTER    the receiver reads through an adapter (--recv-adapter): enumerable
#                   (ReceiveAllAsync), channel (AsChannelReader().ReadAllAsync()), stream
#                   (SocketStream.ReadAsync); async = the bare socket's own ReceiveAsync (reference)
#   send:ADAPTER    the sender writes through an adapter (--send-adapter): channel
#                   (AsChannelWriter().WriteAsync), stream (SocketStream.WriteAsync); async = the bare
#                   socket's own SendAsync (reference)
# inproc: one process, both sockets in one context, each on its own thread (as run.sh's inproc).
# tcp, ipc: two processes, the PULL receiver --bind (prints the result), the PUSH sender --connect.
# The receiver times the first to the last message (libzmq's local_thr method). Every variant,
# bare too, first sends and receives WARMUP untimed messages through the same loop, then the
# sender pauses 200 ms (`--warmup`): without it a run starts in the JIT's first tiers, and an
# async sender that starts slower than its inproc receiver can stay in the slow regime where the
# receiver sleeps after every few messages (WARMUP=0 measures that start too).
# Results: bench/results/adapters-<stamp>.jsonl (one line per run, with "variant" and "rep"), then
# a table per transport: median msg/s per variant, the ratio of medians to bare, and the median of
# the per-round ratios (each variant against bare of the same round), with the worst round's.
#
# Environment (defaults in brackets):
#   REPS [5]  SIZE [64]  COUNT [5000000] messages per run  WARMUP [2000000]  TRANSPORTS ["inproc tcp"]
#   VARIANTS ["bare recv:enumerable recv:channel recv:stream send:channel send:stream"]
#   ZMQ_CMD [<repo>/zmq]  TIMEOUT [300] seconds per process  RESULTS_DIR [bench/results]
#   PYTHON [/usr/bin/python3]
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

REPS=${REPS:-5}
SIZE=${SIZE:-64}
COUNT=${COUNT:-5000000}
WARMUP=${WARMUP:-2000000}
TRANSPORTS=${TRANSPORTS:-"inproc tcp"}
VARIANTS=${VARIANTS:-"bare recv:enumerable recv:channel recv:stream send:channel send:stream"}
ZMQ_CMD=${ZMQ_CMD:-"$repo/zmq"}
TIMEOUT=${TIMEOUT:-300}
RESULTS_DIR=${RESULTS_DIR:-"$repo/bench/results"}
PYTHON=${PYTHON:-/usr/bin/python3}
[[ -x $PYTHON ]] || PYTHON=python3
read -r -a zmq_cmd <<<"$ZMQ_CMD"

die() { echo "adapters.sh: $*" >&2; exit 1; }

for t in $TRANSPORTS; do [[ $t == tcp || $t == ipc || $t == inproc ]] || die "unknown transport '$t' (tcp, ipc, inproc)"; done
for v in $VARIANTS; do [[ $v == bare || $v == recv:* || $v == send:* ]] || die "unknown variant '$v' (bare, recv:ADAPTER, send:ADAPTER)"; done
"${zmq_cmd[@]}" --help >/dev/null 2>&1 || die "ZMQ_CMD '$ZMQ_CMD' does not run"   # builds ./zmq before timing
command -v ss >/dev/null || die "ss (iproute2) is needed to see the receiver listen"

# Ports below the kernel's ephemeral range, as run.sh picks them.
EPHEMERAL_LOW=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
PORT_MAX=$((EPHEMERAL_LOW > 21000 ? EPHEMERAL_LOW - 1 : 60000))
next_port=$((20000 + RANDOM % (PORT_MAX - 20500)))
fresh_port() {
    while :; do
        next_port=$((next_port + 1))
        ((next_port > PORT_MAX)) && next_port=20001
        [[ -z $(ss -Htan "sport = :$next_port" 2>/dev/null) ]] && break
    done
    port=$next_port
}

mkdir -p "$RESULTS_DIR"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$RESULTS_DIR/adapters-$stamp.jsonl"
tmp=$(mktemp -d)
ipc_dir=$(mktemp -d /tmp/zmqadapt.XXXXXX)
trap 'rm -rf "$tmp" "$ipc_dir"' EXIT
echo "{\"meta\":true,\"utc\":\"$stamp\",\"host\":\"$(hostname)\",\"nproc\":$(nproc),\"size\":$SIZE,\"count\":$COUNT,\"warmup\":$WARMUP,\"reps\":$REPS,\"transports\":\"$TRANSPORTS\",\"variants\":\"$VARIANTS\",\"zmq_cmd\":\"$ZMQ_CMD\"}" >"$out"
echo "results: $out" >&2

# Sets recv_opt and send_opt for a variant.
variant_opts() {
    recv_opt=() send_opt=()
    case $1 in
        recv:*) recv_opt=(--recv-adapter "${1#recv:}") ;;
        send:*) send_opt=(--send-adapter "${1#send:}") ;;
    esac
}

record() { # rep transport variant stdout-file
    local line
    line=$(tail -n 1 "$4")
    if [[ $line != \{*\"msgs_per_s\"*\} ]]; then
        echo "{\"rep\":$1,\"transport\":\"$2\",\"variant\":\"$3\",\"failed\":true}" >>"$out"
        echo "  FAILED $2 $3 rep $1: $(tail -n 3 "$tmp/err" | tr '\n' ' ')" >&2
        return
    fi
    line="{\"rep\":$1,\"variant\":\"$3\",${line#\{}"
    echo "$line" >>"$out"
    echo "  $line" >&2
}

run_one() { # rep transport variant
    local rep=$1 transport=$2 variant=$3 ep pid i
    variant_opts "$variant"
    : >"$tmp/out" >"$tmp/err"
    if [[ $transport == inproc ]]; then
        timeout -k 5 "$TIMEOUT" "${zmq_cmd[@]}" bench thr --transport inproc --size "$SIZE" --count "$COUNT" --warmup "$WARMUP" --json \
            "${recv_opt[@]}" "${send_opt[@]}" >"$tmp/out" 2>"$tmp/err" </dev/null
        record "$rep" "$transport" "$variant" "$tmp/out"
        return
    fi
    if [[ $transport == tcp ]]; then fresh_port; ep="tcp://127.0.0.1:$port"; else ep="ipc://$ipc_dir/$rep-${variant/:/-}.sock"; fi
    timeout -k 5 "$TIMEOUT" "${zmq_cmd[@]}" bench thr --bind "$ep" --size "$SIZE" --count "$COUNT" --warmup "$WARMUP" --json \
        "${recv_opt[@]}" >"$tmp/out" 2>"$tmp/err" </dev/null &
    pid=$!
    for ((i = 0; i < 400; i++)); do
        if [[ $transport == tcp ]]; then [[ -n $(ss -Htln "sport = :$port" 2>/dev/null) ]] && break
        else ss -Hlx 2>/dev/null | grep -qF " ${ep#ipc://} " && break; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.025
    done
    timeout -k 5 "$TIMEOUT" "${zmq_cmd[@]}" bench thr --connect "$ep" --size "$SIZE" --count "$COUNT" --warmup "$WARMUP" \
        "${send_opt[@]}" >/dev/null 2>>"$tmp/err" </dev/null || kill "$pid" 2>/dev/null
    wait "$pid"
    record "$rep" "$transport" "$variant" "$tmp/out"
}

for ((rep = 1; rep <= REPS; rep++)); do
    echo "[round $rep/$REPS]" >&2
    for transport in $TRANSPORTS; do
        for variant in $VARIANTS; do run_one "$rep" "$transport" "$variant"; done
    done
done

echo >&2
"$PYTHON" - "$out" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
meta = rows[0]
runs = [r for r in rows[1:] if not r.get("failed")]
failed = [r for r in rows[1:] if r.get("failed")]
print(f"adapters vs bare: {meta['size']} B, {meta['count']} messages per run after {meta.get('warmup', 0)} untimed, {meta['reps']} rounds, {meta['utc']}")
for t in meta["transports"].split():
    print(f"\n{t}")
    print(f"  {'variant':<18} {'median msg/s':>13} {'ratio of medians':>17} {'median round ratio':>19} {'worst round':>12}")
    by = {}
    for r in runs:
        if r["transport"] == t:
            by.setdefault(r["variant"], {})[r["rep"]] = r["msgs_per_s"]
    bare = by.get("bare", {})
    bare_med = statistics.median(bare.values()) if bare else None
    for v in meta["variants"].split():
        vals = by.get(v, {})
        if not vals:
            print(f"  {v:<18} {'-':>13}")
            continue
        med = statistics.median(vals.values())
        ratio = f"{med / bare_med:.2f}" if bare_med else "-"
        rounds = [vals[k] / bare[k] for k in vals if k in bare]
        rr = f"{statistics.median(rounds):.2f}" if rounds else "-"
        worst = f"{min(rounds):.2f}" if rounds else "-"
        print(f"  {v:<18} {med:>13,.0f} {ratio:>17} {rr:>19} {worst:>12}")
if failed:
    print(f"\n{len(failed)} failed runs: " + ", ".join(f"{r['transport']} {r['variant']} rep {r['rep']}" for r in failed))
EOF
