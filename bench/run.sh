#!/usr/bin/env bash
# Whole-process throughput and latency: our zmq, NetMQ and libzmq, interleaved, medians.
#
# For each mode (thr, lat) and size, REPS rounds; each round runs, for every transport in
# TRANSPORTS and every security mechanism in MECHS, every lib in LIBS order (zmq, netmq, libzmq):
#   tcp, ipc: a fresh pair of processes over tcp://127.0.0.1:<fresh port> or
#     ipc://<private dir>/<n>.sock (a fresh path each run; the directory is removed at exit):
#       thr: PULL receiver --bind (prints the result), then PUSH sender --connect
#       lat: REP echo server --bind, then REQ client --connect (prints the result)
#     NetMQ cannot do Unix domain sockets: its ipc:// is TCP on 127.0.0.1 (a port derived from
#     the path), so its ipc numbers are a TCP emulation (bench/report.py labels them so).
#   inproc: one process per run, `thr|lat --inproc` (both sockets in one context, each on its
#     own thread; the PULL receiver or the REQ client prints the result).
#   MECHS: null (no security, the default) and/or curve (`--curve`: the bind side is a CURVE
#     server with the fixed benchmark key pair every library shares, the connect side a CURVE
#     client with a fresh key pair). inproc carries no security mechanism: curve skips inproc.
# Every process runs under `timeout`; a run that fails or times out is recorded as failed.
# Results: bench/results/<timestamp>.jsonl (+ .log with the stderr of failed runs), then the
# medians tables from bench/report.py (one throughput and one latency table per transport and
# mechanism).
#
# Environment (defaults in brackets):
#   SIZES ["1 64 1024 65536"]  MODES ["thr lat"]  LIBS ["zmq netmq libzmq"]  REPS [5]
#   TRANSPORTS ["tcp ipc inproc"]  MECHS ["null"] ("null curve" adds the CURVE runs)
#   ZMQ_CMD [<repo>/zmq]        our CLI; run as `$ZMQ_CMD bench thr|lat ...` (may hold words)
#   THR_COUNT                   messages per thr run for every size (overrides the three below)
#   THR_COUNT_SMALL [10000000] (size <= 64: enough for the JIT to reach its final tier)  THR_COUNT_1K [2000000] (size <= 1024)
#   THR_COUNT_LARGE [100000] (larger)       LAT_COUNT [20000] round trips
#   TIMEOUT [300] seconds per process   GRACE [30] seconds the printing/bind side may take
#   after the other side exits   PORT_BASE [random, below the ephemeral range]   SKIP_BUILD [0]
#   RESULTS_DIR [bench/results]  PYTHON [/usr/bin/python3]
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

SIZES=${SIZES:-"1 64 1024 65536"}
MODES=${MODES:-"thr lat"}
LIBS=${LIBS:-"zmq netmq libzmq"}
TRANSPORTS=${TRANSPORTS:-"tcp ipc inproc"}
MECHS=${MECHS:-"null"}
REPS=${REPS:-5}
ZMQ_CMD=${ZMQ_CMD:-"$repo/zmq"}
THR_COUNT_SMALL=${THR_COUNT_SMALL:-10000000}
THR_COUNT_1K=${THR_COUNT_1K:-2000000}
THR_COUNT_LARGE=${THR_COUNT_LARGE:-100000}
LAT_COUNT=${LAT_COUNT:-20000}
TIMEOUT=${TIMEOUT:-300}
GRACE=${GRACE:-30}
# Ports come from below the kernel's ephemeral range, so that no outgoing connection (whose local
# port the kernel picks from that range) can hold the port a bind side is about to take.
EPHEMERAL_LOW=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
PORT_MAX=$((EPHEMERAL_LOW > 21000 ? EPHEMERAL_LOW - 1 : 60000))
PORT_BASE=${PORT_BASE:-$((20000 + RANDOM % (PORT_MAX - 20000 - 500)))}
SKIP_BUILD=${SKIP_BUILD:-0}
RESULTS_DIR=${RESULTS_DIR:-"$repo/bench/results"}
PYTHON=${PYTHON:-/usr/bin/python3}
[[ -x $PYTHON ]] || PYTHON=python3

read -r -a zmq_cmd <<<"$ZMQ_CMD"
bench_cmd=()

die() { echo "run.sh: $*" >&2; exit 1; }

build_bench() {
    local proj="$repo/bench/Zmq.Bench/Zmq.Bench.csproj" target
    if [[ $SKIP_BUILD != 1 ]]; then
        echo "building Zmq.Bench (Release)..." >&2
        dotnet build -c Release -nologo -v q "$proj" >&2 || die "dotnet build failed"
    fi
    target=$(dotnet msbuild "$proj" -getProperty:TargetPath -p:Configuration=Release) || die "cannot locate Zmq.Bench"
    if [[ -x ${target%.dll} ]]; then bench_cmd=("${target%.dll}"); else bench_cmd=(dotnet "$target"); fi
    [[ -f $target ]] || die "Zmq.Bench not built: $target"
}

thr_count() {
    local size=$1
    if [[ -n ${THR_COUNT:-} ]]; then echo "$THR_COUNT"
    elif ((size <= 64)); then echo "$THR_COUNT_SMALL"
    elif ((size <= 1024)); then echo "$THR_COUNT_1K"
    else echo "$THR_COUNT_LARGE"; fi
}

# Sets cmd to the command for one side: lib mode side(bind|connect|inproc) endpoint size count [json]
# (side inproc: both sides in one process; the endpoint is ignored). Adds --curve when $mech is curve.
side_cmd() {
    local lib=$1 mode=$2 side=$3 ep=$4 size=$5 count=$6 json=${7:-}
    if [[ $lib == zmq ]]; then
        cmd=("${zmq_cmd[@]}" bench "$mode")
    else
        cmd=("${bench_cmd[@]}" "$lib" "$mode")
    fi
    if [[ $side == inproc ]]; then cmd+=(--inproc); else cmd+=("--$side" "$ep"); fi
    cmd+=(--size "$size" --count "$count")
    [[ $mech == curve ]] && cmd+=(--curve)
    [[ -n $json ]] && cmd+=(--json)
}

port_in_use() { [[ -n $(ss -Htan "sport = :$1" 2>/dev/null) ]]; }   # any state: listening, connected, TIME_WAIT

next_port=$PORT_BASE
fresh_port() {
    while :; do
        next_port=$((next_port + 1))
        ((next_port > PORT_MAX)) && next_port=20001
        port_in_use "$next_port" || break
    done
    port=$next_port
}

# Is the bind side (lib $1, endpoint $2, `timeout` pid $3) listening? tcp: something listens on
# the port; ipc: a Unix socket listens on the path, or for NetMQ (ipc = TCP on a port derived
# from the path) the bind process listens on some TCP port.
listening() {
    local lib=$1 ep=$2 pid=$3 child
    case $ep in
        tcp://*) port_in_use "${ep##*:}" ;;
        ipc://*)
            if [[ $lib == netmq ]]; then
                child=$(pgrep -P "$pid" | head -n 1)
                [[ -n $child ]] && ss -Hltnp 2>/dev/null | grep -q "pid=$child,"
            else
                ss -Hlx 2>/dev/null | grep -qF " ${ep#ipc://} "
            fi ;;
        *) return 1 ;;
    esac
}

# Waits until the bind side listens while its pid ($3) is alive (so the connecting side's first
# message never waits for a reconnect interval). Arguments as for listening.
wait_listen() {
    local pid=$3 i
    for ((i = 0; i < 400; i++)); do
        listening "$@" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.025
    done
    return 1
}

# Waits at most GRACE seconds for pid $1, then kills it (killed=1). Sets rc to its exit code.
wait_grace() {
    local pid=$1 i
    killed=0
    for ((i = 0; i < GRACE * 20; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        killed=1
        kill "$pid" 2>/dev/null
    fi
    wait "$pid"
    rc=$?
}

curve_json() { if [[ $mech == curve ]]; then echo true; else echo false; fi; }

record_fail() { # rep lib mode size count reason (uses $transport and $mech)
    local line="{\"rep\":$1,\"lib\":\"$2\",\"mode\":\"$3\",\"transport\":\"$transport\",\"curve\":$(curve_json),\"size\":$4,\"count\":$5,\"failed\":true,\"reason\":\"$6\"}"
    echo "$line" >>"$out"
    echo "  FAILED $2 $3 $transport $mech size=$4 rep=$1: $6" >&2
    {
        echo "=== rep $1 $2 $3 $transport $mech size=$4 count=$5: $6"
        for f in "$tmp"/bind.err "$tmp"/connect.err; do
            [[ -s $f ]] || continue
            echo "--- $(basename "$f")"
            tail -n 20 "$f" 2>/dev/null
        done
    } >>"$log"
}

# Checks the JSON result line of the printing side (its stdout: $6) and appends it to $out with
# the round and where it ran ($7: e.g. "port":123, or empty); adds the transport (and "curve")
# when the line lacks it (an older CLI), fails the run when it names another (or another
# mechanism; a curve run whose line lacks "curve" fails too).
record_ok() { # rep lib mode size count stdout-file prefix
    local line
    line=$(tail -n 1 "$6")
    if [[ $line != \{*\} || $line != *"\"mode\":\"$3\""* ]]; then
        record_fail "$1" "$2" "$3" "$4" "$5" "no JSON result line"
        return
    fi
    if [[ $line != *'"transport":'* ]]; then
        line="{\"transport\":\"$transport\",${line#\{}"
    elif [[ $line != *"\"transport\":\"$transport\""* ]]; then
        record_fail "$1" "$2" "$3" "$4" "$5" "result names another transport"
        return
    fi
    if [[ $line != *'"curve":'* && $mech == null ]]; then
        line="{\"curve\":false,${line#\{}"
    elif [[ $line != *"\"curve\":$(curve_json)"* ]]; then
        record_fail "$1" "$2" "$3" "$4" "$5" "result does not say \"curve\":$(curve_json)"
        return
    fi
    line="{\"rep\":$1,$7${line#\{}"
    echo "$line" >>"$out"
    echo "  $line" >&2
}

# inproc: one process runs both sides (each socket on its own thread) and prints the result.
run_inproc() { # rep lib mode size count
    local rep=$1 lib=$2 mode=$3 size=$4 count=$5 rc
    : >"$tmp/bind.out" >"$tmp/bind.err" >"$tmp/connect.out" >"$tmp/connect.err"
    side_cmd "$lib" "$mode" inproc "" "$size" "$count" json
    timeout -k 5 "$TIMEOUT" "${cmd[@]}" >"$tmp/bind.out" 2>"$tmp/bind.err" </dev/null
    rc=$?
    if ((rc != 0)); then
        record_fail "$rep" "$lib" "$mode" "$size" "$count" "exit $rc$( ((rc == 124)) && echo ' (timeout)')"
        return
    fi
    record_ok "$rep" "$lib" "$mode" "$size" "$count" "$tmp/bind.out" ""
}

next_ipc=0
run_one() { # rep lib mode size count (uses $transport and $mech)
    local rep=$1 lib=$2 mode=$3 size=$4 count=$5 ep where spid rc printer
    if [[ $transport == inproc ]]; then
        run_inproc "$@"
        return
    elif [[ $transport == ipc ]]; then
        next_ipc=$((next_ipc + 1))
        ep="ipc://$ipc_dir/$next_ipc.sock"
        where="\"endpoint\":\"$ep\","
    else
        fresh_port
        ep="tcp://127.0.0.1:$port"
        where="\"port\":$port,"
    fi
    : >"$tmp/bind.out" >"$tmp/bind.err" >"$tmp/connect.out" >"$tmp/connect.err"
    if [[ $mode == thr ]]; then side_cmd "$lib" "$mode" bind "$ep" "$size" "$count" json
    else side_cmd "$lib" "$mode" bind "$ep" "$size" "$count"; fi
    timeout -k 5 "$TIMEOUT" "${cmd[@]}" >"$tmp/bind.out" 2>"$tmp/bind.err" </dev/null &
    spid=$!
    if ! wait_listen "$lib" "$ep" "$spid"; then
        kill "$spid" 2>/dev/null
        wait "$spid"
        [[ $transport == ipc ]] && rm -f "${ep#ipc://}"
        record_fail "$rep" "$lib" "$mode" "$size" "$count" "bind side did not listen on $ep"
        return
    fi
    if [[ $mode == lat ]]; then side_cmd "$lib" "$mode" connect "$ep" "$size" "$count" json
    else side_cmd "$lib" "$mode" connect "$ep" "$size" "$count"; fi
    timeout -k 5 "$TIMEOUT" "${cmd[@]}" >"$tmp/connect.out" 2>"$tmp/connect.err" </dev/null
    rc=$?
    if ((rc != 0)); then
        kill "$spid" 2>/dev/null
        wait "$spid"
        [[ $transport == ipc ]] && rm -f "${ep#ipc://}"
        record_fail "$rep" "$lib" "$mode" "$size" "$count" "connect side exit $rc$( ((rc == 124)) && echo ' (timeout)')"
        return
    fi
    wait_grace "$spid"
    [[ $transport == ipc ]] && rm -f "${ep#ipc://}"
    if ((killed)); then
        record_fail "$rep" "$lib" "$mode" "$size" "$count" "bind side still running ${GRACE}s after the connect side exited"
        return
    elif ((rc != 0)); then
        record_fail "$rep" "$lib" "$mode" "$size" "$count" "bind side exit $rc$( ((rc == 124)) && echo ' (timeout)')"
        return
    fi
    if [[ $mode == thr ]]; then printer="$tmp/bind.out"; else printer="$tmp/connect.out"; fi
    record_ok "$rep" "$lib" "$mode" "$size" "$count" "$printer" "$where"
}

main() {
    local need_bench=0 lib mode size rep count stamp
    for mech in $MECHS; do
        case $mech in
            null | curve) ;;
            *) die "unknown mechanism '$mech' in MECHS (null, curve)" ;;
        esac
    done
    [[ " $MECHS " == *" curve "* && " $TRANSPORTS " == *" inproc "* ]] &&
        echo "run.sh: note: inproc carries no security mechanism: curve runs skip inproc" >&2
    for transport in $TRANSPORTS; do
        case $transport in
            tcp | ipc | inproc) ;;
            *) die "unknown transport '$transport' in TRANSPORTS (tcp, ipc, inproc)" ;;
        esac
    done
    for lib in $LIBS; do
        case $lib in
            zmq) [[ -x ${zmq_cmd[0]} ]] || command -v "${zmq_cmd[0]}" >/dev/null ||
                echo "run.sh: warning: ZMQ_CMD '${zmq_cmd[0]}' not found: zmq runs will fail" >&2 ;;
            netmq | libzmq) need_bench=1 ;;
            *) die "unknown lib '$lib' in LIBS" ;;
        esac
    done
    ((need_bench)) && build_bench
    # Build our CLI before timing anything (the ./zmq wrapper builds on its first run).
    [[ " $LIBS " == *" zmq "* ]] && { "${zmq_cmd[@]}" --help >/dev/null 2>&1 || die "ZMQ_CMD '$ZMQ_CMD' does not run"; }
    command -v ss >/dev/null || die "ss (iproute2) is needed to pick free ports and see listeners"
    [[ " $TRANSPORTS " == *" ipc "* && " $LIBS " == *" netmq "* ]] && { command -v pgrep >/dev/null || die "pgrep (procps) is needed for NetMQ ipc runs"; }

    mkdir -p "$RESULTS_DIR"
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    out="$RESULTS_DIR/$stamp.jsonl"
    log="$RESULTS_DIR/$stamp.log"
    tmp=$(mktemp -d)
    # ipc paths: short (sun_path holds 107 bytes), private, fresh per run, removed at exit.
    ipc_dir=$(mktemp -d /tmp/zmqbench.XXXXXX) || die "cannot create an ipc directory in /tmp"
    trap 'rm -rf "$tmp" "$ipc_dir"' EXIT
    echo "{\"meta\":true,\"utc\":\"$stamp\",\"host\":\"$(hostname)\",\"nproc\":$(nproc),\"sizes\":\"$SIZES\",\"modes\":\"$MODES\",\"transports\":\"$TRANSPORTS\",\"mechs\":\"$MECHS\",\"libs\":\"$LIBS\",\"reps\":$REPS,\"zmq_cmd\":\"$ZMQ_CMD\"}" >"$out"
    echo "results: $out" >&2

    for mode in $MODES; do
        for size in $SIZES; do
            if [[ $mode == thr ]]; then count=$(thr_count "$size"); else count=$LAT_COUNT; fi
            for ((rep = 1; rep <= REPS; rep++)); do
                echo "[$mode size=$size count=$count round $rep/$REPS]" >&2
                for transport in $TRANSPORTS; do
                    for mech in $MECHS; do
                        [[ $mech == curve && $transport == inproc ]] && continue
                        for lib in $LIBS; do
                            run_one "$rep" "$lib" "$mode" "$size" "$count"
                        done
                    done
                done
            done
        done
    done

    echo >&2
    "$PYTHON" "$here/report.py" "$out"
}

main "$@"
