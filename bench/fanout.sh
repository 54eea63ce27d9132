#!/usr/bin/env bash
# Fan-out: one PUB process (ours: PubSocket; libzmq: its PUB, both in `Zmq.Bench LIB pub`) bound
# on tcp://127.0.0.1:PORT and SUBS SUB connections, all in one pyzmq subscriber process
# (bench/peers/fanout_sub.py), each subscribed to everything; so only the PUB side differs. The
# PUB sends warm-ups until every SUB has heard one (then the script lets it go), then COUNT
# messages of SIZE bytes, then end markers. Measured at the subscribers: the time from the first
# to the last message received across all SUBs; messages/s = COUNT / that time (each message
# reaching every SUB), deliveries/s = all messages received / that time; per-SUB counts (min,
# max, how many SUBs got all COUNT) so drops are visible. NODROP=1 (the default) makes the PUB
# wait for a full subscriber instead of dropping (XPUB_NODROP / PubSocket.NoDrop, applied to
# PUB by both), with HWM messages of SNDHWM per subscriber and RCVHWM per SUB. Rounds
# interleave the libs; the tables are medians.
#
#   bench/fanout.sh                            # SUBS=100 COUNT=20000, ours and libzmq
#   SUBS=100 COUNT=50000 REPS=5 bench/fanout.sh
#   NODROP=0 HWM=0 bench/fanout.sh             # no back-pressure, unbounded queues
#
# Environment (defaults in brackets), besides those of bench/whole-common.sh (LIBS, REPS,
# PORT_BASE, BENCH_CMD, SKIP_BUILD, TIMEOUT, GRACE, THREAD_BUDGET, RESULTS_DIR, PYTHON):
#   SUBS [100]  COUNT [20000]  SIZE [64]
#   NODROP [1]   HWM [10000] (SNDHWM of the PUB and RCVHWM of every SUB; 0 = unlimited)
#   IDLE [10]    seconds without a message after which the subscriber stops waiting for the rest
# Results: bench/results/fanout-<stamp>.jsonl (+ .log), then the medians table.
set -u -o pipefail
script_name=fanout.sh
source "$(dirname "${BASH_SOURCE[0]}")/whole-common.sh"

SUBS=${SUBS:-100}
COUNT=${COUNT:-20000}
SIZE=${SIZE:-64}
NODROP=${NODROP:-1}
HWM=${HWM:-10000}
IDLE=${IDLE:-10}

run_fanout() { # REP LIB
    local rep=$1 lib=$2 d line spid ok=1 args=()
    d="$tmp/run"
    rm -rf "$d"
    mkdir -p "$d"
    fresh_port
    ep="tcp://127.0.0.1:$port"
    echo "[round $rep/$REPS] $lib PUB -> $SUBS SUBs, $COUNT x $SIZE B, port $port" >&2
    args=(--bind "$ep" --size "$SIZE" --count "$COUNT" --hwm "$HWM" --linger 0 --go-file "$d/go"
        --wait-s 120 --end-s "$((TIMEOUT / 2))")
    ((NODROP)) && args+=(--nodrop)
    if start_server "$d" "$lib" pub "${args[@]}"; then
        timeout -k 5 "$TIMEOUT" "$PYTHON" "$peers/fanout_sub.py" --connect "$ep" --subs "$SUBS" --count "$COUNT" \
            --rcvhwm "$HWM" --ready-timeout 60 --timeout "$((TIMEOUT - 60))" --idle "$IDLE" \
            >"$d/sub.out" 2>"$d/sub.err" </dev/null &
        spid=$!
        if ! wait_line "$d/sub.out" '"ready":true' 70 "$spid" "$srv_tpid"; then
            echo "the subscribers did not all hear the PUB: $(tail -n 1 "$d/sub.out")" >>"$d/fail"
            ok=0
        fi
        if ((ok)); then
            touch "$d/go"
            if ! wait_line "$d/sub.out" '"received_total":' "$TIMEOUT" "$spid" "$srv_tpid"; then
                echo "no subscriber result" >>"$d/fail"
            fi
        fi
        stop_server "$d"
        wait_pid "$spid" 30
        ((rc != 0 && ok)) && echo "subscriber exit $rc" >>"$d/fail"
    fi
    line=$("$PYTHON" "$peers/results.py" collect fanout "$d" rep="$rep" lib="$lib" port="$port" size="$SIZE" \
        nodrop="$NODROP" hwm="$HWM")
    echo "$line" >>"$out"
    echo "  $line" >&2
    [[ $line == *'"ok":false'* ]] && log_failure "$d" "round $rep $lib SUBS=$SUBS COUNT=$COUNT"
}

main() {
    local rep lib
    command -v timeout >/dev/null || die "timeout (coreutils) is needed"
    command -v ss >/dev/null || die "ss (iproute2) is needed"
    "$PYTHON" -c 'import zmq' 2>/dev/null || die "pyzmq is needed ($PYTHON -c 'import zmq' failed)"
    for lib in $LIBS; do [[ $lib == zmq || $lib == libzmq ]] || die "unknown lib '$lib' (zmq, libzmq)"; done
    ((SIZE >= 1)) || die "SIZE must be at least 1 (the first byte marks the message kind)"
    raise_nofile
    build_bench
    setup_results fanout
    meta_line fanout "\"subs\":$SUBS,\"count\":$COUNT,\"size\":$SIZE,\"nodrop\":$NODROP,\"hwm\":$HWM" >"$out"
    note "results: $out"
    for ((rep = 1; rep <= REPS; rep++)); do
        for lib in $LIBS; do
            run_fanout "$rep" "$lib"
        done
    done
    echo >&2
    "$PYTHON" "$peers/results.py" report "$out"
}

main "$@"
