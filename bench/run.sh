#!/usr/bin/env bash
# Whole-process throughput and latency: our zmq, NetMQ and libzmq, interleaved, medians.
#
# For each mode (thr, lat) and size, REPS rounds; each round runs every lib in LIBS order
# (zmq, netmq, libzmq), each run a fresh pair of processes over tcp://127.0.0.1:<fresh port>:
#   thr: PULL receiver --bind (prints the result), then PUSH sender --connect
#   lat: REP echo server --bind, then REQ client --connect (prints the result)
# Every process runs under `timeout`; a run that fails or times out is recorded as failed.
# Results: bench/results/<timestamp>.jsonl (+ .log with the stderr of failed runs), then the
# medians table from bench/report.py.
#
# Environment (defaults in brackets):
#   SIZES ["1 64 1024 65536"]  MODES ["thr lat"]  LIBS ["zmq netmq libzmq"]  REPS [5]
#   ZMQ_CMD [<repo>/zmq]        our CLI; run as `$ZMQ_CMD bench thr|lat ...` (may hold words)
#   THR_COUNT                   messages per thr run for every size (overrides the three below)
#   THR_COUNT_SMALL [2000000] (size <= 64)  THR_COUNT_1K [1000000] (size <= 1024)
#   THR_COUNT_LARGE [100000] (larger)       LAT_COUNT [20000] round trips
#   TIMEOUT [300] seconds per process   GRACE [30] seconds the printing/bind side may take
#   after the other side exits   PORT_BASE [random 20000-39999]   SKIP_BUILD [0]
#   RESULTS_DIR [bench/results]  PYTHON [/usr/bin/python3]
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

SIZES=${SIZES:-"1 64 1024 65536"}
MODES=${MODES:-"thr lat"}
LIBS=${LIBS:-"zmq netmq libzmq"}
REPS=${REPS:-5}
ZMQ_CMD=${ZMQ_CMD:-"$repo/zmq"}
THR_COUNT_SMALL=${THR_COUNT_SMALL:-2000000}
THR_COUNT_1K=${THR_COUNT_1K:-1000000}
THR_COUNT_LARGE=${THR_COUNT_LARGE:-100000}
LAT_COUNT=${LAT_COUNT:-20000}
TIMEOUT=${TIMEOUT:-300}
GRACE=${GRACE:-30}
PORT_BASE=${PORT_BASE:-$((20000 + RANDOM % 20000))}
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

# Prints the command for one side: lib mode side(bind|connect) endpoint size count [--json]
side_cmd() {
    local lib=$1 mode=$2 side=$3 ep=$4 size=$5 count=$6 json=${7:-}
    if [[ $lib == zmq ]]; then
        cmd=("${zmq_cmd[@]}" bench "$mode")
    else
        cmd=("${bench_cmd[@]}" "$lib" "$mode")
    fi
    cmd+=("--$side" "$ep" --size "$size" --count "$count")
    [[ -n $json ]] && cmd+=(--json)
}

port_in_use() { [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]; }

next_port=$PORT_BASE
fresh_port() {
    while :; do
        next_port=$((next_port + 1))
        ((next_port > 60000)) && next_port=20001
        port_in_use "$next_port" || break
    done
    port=$next_port
}

# Waits until something listens on $1 while pid $2 is alive (so the connecting side's first
# message never waits for a reconnect interval).
wait_listen() {
    local port=$1 pid=$2 i
    for ((i = 0; i < 400; i++)); do
        port_in_use "$port" && return 0
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

record_fail() { # rep lib mode size count reason
    local line="{\"rep\":$1,\"lib\":\"$2\",\"mode\":\"$3\",\"size\":$4,\"count\":$5,\"failed\":true,\"reason\":\"$6\"}"
    echo "$line" >>"$out"
    echo "  FAILED $2 $3 size=$4 rep=$1: $6" >&2
    {
        echo "=== rep $1 $2 $3 size=$4 count=$5: $6"
        for f in "$tmp"/bind.err "$tmp"/connect.err; do
            echo "--- $(basename "$f")"
            tail -n 20 "$f" 2>/dev/null
        done
    } >>"$log"
}

run_one() { # rep lib mode size count
    local rep=$1 lib=$2 mode=$3 size=$4 count=$5 ep spid rc printer line
    fresh_port
    ep="tcp://127.0.0.1:$port"
    : >"$tmp/bind.out" >"$tmp/bind.err" >"$tmp/connect.out" >"$tmp/connect.err"
    if [[ $mode == thr ]]; then side_cmd "$lib" "$mode" bind "$ep" "$size" "$count" json
    else side_cmd "$lib" "$mode" bind "$ep" "$size" "$count"; fi
    timeout -k 5 "$TIMEOUT" "${cmd[@]}" >"$tmp/bind.out" 2>"$tmp/bind.err" </dev/null &
    spid=$!
    if ! wait_listen "$port" "$spid"; then
        kill "$spid" 2>/dev/null
        wait "$spid"
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
        record_fail "$rep" "$lib" "$mode" "$size" "$count" "connect side exit $rc$( ((rc == 124)) && echo ' (timeout)')"
        return
    fi
    wait_grace "$spid"
    if ((killed)); then
        record_fail "$rep" "$lib" "$mode" "$size" "$count" "bind side still running ${GRACE}s after the connect side exited"
        return
    elif ((rc != 0)); then
        record_fail "$rep" "$lib" "$mode" "$size" "$count" "bind side exit $rc$( ((rc == 124)) && echo ' (timeout)')"
        return
    fi
    if [[ $mode == thr ]]; then printer="$tmp/bind.out"; else printer="$tmp/connect.out"; fi
    line=$(tail -n 1 "$printer")
    if [[ $line != \{*\} || $line != *"\"mode\":\"$mode\""* ]]; then
        record_fail "$rep" "$lib" "$mode" "$size" "$count" "no JSON result line"
        return
    fi
    line="{\"rep\":$rep,\"port\":$port,${line#\{}"
    echo "$line" >>"$out"
    echo "  $line" >&2
}

main() {
    local need_bench=0 lib mode size rep count stamp
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
    command -v ss >/dev/null || die "ss (iproute2) is needed to pick free ports"

    mkdir -p "$RESULTS_DIR"
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    out="$RESULTS_DIR/$stamp.jsonl"
    log="$RESULTS_DIR/$stamp.log"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    echo "{\"meta\":true,\"utc\":\"$stamp\",\"host\":\"$(hostname)\",\"nproc\":$(nproc),\"sizes\":\"$SIZES\",\"modes\":\"$MODES\",\"libs\":\"$LIBS\",\"reps\":$REPS,\"zmq_cmd\":\"$ZMQ_CMD\"}" >"$out"
    echo "results: $out" >&2

    for mode in $MODES; do
        for size in $SIZES; do
            if [[ $mode == thr ]]; then count=$(thr_count "$size"); else count=$LAT_COUNT; fi
            for ((rep = 1; rep <= REPS; rep++)); do
                echo "[$mode size=$size count=$count round $rep/$REPS]" >&2
                for lib in $LIBS; do
                    run_one "$rep" "$lib" "$mode" "$size" "$count"
                done
            done
        done
    done

    echo >&2
    "$PYTHON" "$here/report.py" "$out"
}

main "$@"
