#!/usr/bin/env bash
# Hostile load: one ROUTER echo server process (ours: RouterSocket; libzmq: its ROUTER, both in
# `Zmq.Bench LIB router-echo`, the same backlog) bound on tcp://127.0.0.1:PORT. A well-behaved
# pyzmq DEALER (bench/peers/lat_client.py) times COUNT round trips of SIZE bytes, first against
# the quiet server, then again while SILENT connections that never send a byte and HALF
# connections that sent half a ZMTP greeting (FF 00 00 00 00) and stall are all open to it (from
# one python process, bench/peers/hostile.py: plain non-blocking sockets, so they cost the server,
# not the server process's limits; with HANDSHAKE_IVL closing them, it opens them again). Then,
# with the hostile connections still open, the server gets SIGTERM: it prints how long closing
# its socket and context took (dispose_ms); the script also times SIGTERM -> exit.
# Reported: quiet and loaded mean/p99 round trip, their ratios, the server's threads quiet and
# loaded, the hostile connections open at the close, the close time. Rounds interleave the libs;
# the tables are medians.
#
#   bench/hostile.sh                                  # SILENT=5000 HALF=1000, ours and libzmq
#   SILENT=500 HALF=100 bench/hostile.sh              # smaller load
#   LIBS=libzmq bench/hostile.sh
#
# Environment (defaults in brackets), besides those of bench/whole-common.sh (LIBS, REPS,
# PORT_BASE, BENCH_CMD, SKIP_BUILD, TIMEOUT, GRACE, THREAD_BUDGET, RESULTS_DIR, PYTHON):
#   SILENT [5000]  HALF [1000]   the hostile connections
#   COUNT [2000]  SIZE [64]  WARMUP [1000]  round trips of the latency peer (each phase; the
#                      warm-up ones are untimed and followed by a 0.5 s pause, in which a .NET
#                      server's tiered JIT compiles what the round trips use)
#   WARMUP_S [2]       seconds of an untimed round-trip session right after the server starts,
#                      before the quiet phase (0: none)
#   BACKLOG [4096]     accept backlog of both servers
#   HANDSHAKE_IVL      the servers' HANDSHAKE_IVL in ms (default: each library's, 30 s)
#   HOSTILE_TIMEOUT [120]  seconds for all hostile connections to be connected (client side)
#   DRAIN_TIMEOUT [60]     seconds for the server's accept queue to empty afterwards
#   SETTLE [1]         seconds of pause after that, before the loaded round trips
# Results: bench/results/hostile-<stamp>.jsonl (+ .log), then the medians table.
set -u -o pipefail
script_name=hostile.sh
source "$(dirname "${BASH_SOURCE[0]}")/whole-common.sh"

SILENT=${SILENT:-5000}
HALF=${HALF:-1000}
COUNT=${COUNT:-2000}
SIZE=${SIZE:-64}
WARMUP=${WARMUP:-1000}
WARMUP_S=${WARMUP_S:-2}
BACKLOG=${BACKLOG:-4096}
HANDSHAKE_IVL=${HANDSHAKE_IVL:-}
HOSTILE_TIMEOUT=${HOSTILE_TIMEOUT:-120}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-60}
SETTLE=${SETTLE:-1}

# latency PHASE: one latency peer run into $d/lat.PHASE.out; 1 on failure (noted in $d/fail).
latency() {
    timeout -k 5 "$((TIMEOUT / 2))" "$PYTHON" "$peers/lat_client.py" --connect "$ep" --count "$COUNT" \
        --size "$SIZE" --warmup "$WARMUP" --timeout "$((TIMEOUT / 4))" >"$d/lat.$1.out" 2>"$d/lat.$1.err" </dev/null
    local r=$?
    if ((r != 0)); then
        echo "$1 latency peer exit $r$( ((r == 124)) && echo ' (timeout)')" >>"$d/fail"
        return 1
    fi
}

run_hostile() { # REP LIB
    local rep=$1 lib=$2 line hpid ok=1 t0 q zero=0 srv_args=()
    d="$tmp/run"
    rm -rf "$d"
    mkdir -p "$d"
    fresh_port
    ep="tcp://127.0.0.1:$port"
    echo "[round $rep/$REPS] $lib SILENT=$SILENT HALF=$HALF port $port" >&2
    srv_args=(--bind "$ep" --backlog "$BACKLOG" --linger 0)
    [[ -n $HANDSHAKE_IVL ]] && srv_args+=(--handshake-ivl "$HANDSHAKE_IVL")
    if start_server "$d" "$lib" router-echo "${srv_args[@]}"; then
        # an untimed session first: a fresh .NET server's first second or two of round trips
        # (tiered JIT, OSR) are slower than the rest, and would flatter the loaded phase
        if ((WARMUP_S > 0)) && ! timeout -k 5 60 "$PYTHON" "$peers/lat_client.py" --connect "$ep" --count 0 \
            --warmup "$WARMUP" --warmup-s "$WARMUP_S" --timeout 30 >"$d/warmup.out" 2>"$d/warmup.err" </dev/null; then
            echo "warm-up session failed" >>"$d/fail"
            ok=0
        fi
        ((WARMUP_S > 0)) && sleep 0.5
        sample_now "$d" quiet
        ((ok)) && { latency quiet || ok=0; }
        if ((ok)); then
            timeout -k 5 "$TIMEOUT" "$PYTHON" "$peers/hostile.py" --host 127.0.0.1 --port "$port" \
                --silent "$SILENT" --half "$HALF" --maintain --connect-timeout "$HOSTILE_TIMEOUT" \
                >"$d/hostile.out" 2>"$d/hostile.err" </dev/null &
            hpid=$!
            if ! wait_line "$d/hostile.out" '"ready":true' $((HOSTILE_TIMEOUT + 10)) "$hpid" "$srv_tpid"; then
                echo "hostile connections not all open within ${HOSTILE_TIMEOUT}s: $(tail -n 1 "$d/hostile.out")" >>"$d/fail"
                ok=0
            fi
        fi
        if ((ok)); then
            # connected on the client side is not yet accepted: wait for the accept queue to empty
            t0=$(now_ms)
            while (($(now_ms) - t0 < DRAIN_TIMEOUT * 1000)); do
                q=$(accept_queue "$port")
                if ((q == 0)); then
                    zero=$((zero + 1))
                    ((zero >= 3)) && break
                else
                    zero=0
                fi
                kill -0 "$srv_pid" 2>/dev/null || break
                sleep 0.1
            done
            echo $(($(now_ms) - t0)) >"$d/drain.ms"
            accept_queue "$port" >"$d/acceptq.loaded"
            sleep "$SETTLE"
            established "$port" >"$d/conns.loaded"
            sample_now "$d" loaded
            latency loaded || ok=0
            sample_now "$d" loaded_end
        fi
        if [[ -n ${hpid:-} ]]; then
            sleep 0.3 # a fresh status line of the hostile peer: what is open as the server is told to stop
            grep '"status":true' "$d/hostile.out" | tail -n 1 >"$d/hostile.at_stop"
        fi
        stop_server "$d"
        if [[ -n ${hpid:-} ]]; then
            kill -TERM "$hpid" 2>/dev/null
            wait_pid "$hpid" 30
        fi
    fi
    line=$("$PYTHON" "$peers/results.py" collect hostile "$d" rep="$rep" lib="$lib" silent="$SILENT" \
        half="$HALF" port="$port" count="$COUNT" size="$SIZE" backlog="$BACKLOG" handshake_ivl="${HANDSHAKE_IVL:-default}")
    echo "$line" >>"$out"
    echo "  $line" >&2
    [[ $line == *'"ok":false'* ]] && log_failure "$d" "round $rep $lib SILENT=$SILENT HALF=$HALF"
    hpid=
}

main() {
    local rep lib
    command -v ss >/dev/null || die "ss (iproute2) is needed"
    command -v timeout >/dev/null || die "timeout (coreutils) is needed"
    "$PYTHON" -c 'import zmq' 2>/dev/null || die "pyzmq is needed ($PYTHON -c 'import zmq' failed)"
    for lib in $LIBS; do [[ $lib == zmq || $lib == libzmq ]] || die "unknown lib '$lib' (zmq, libzmq)"; done
    raise_nofile
    ((SILENT + HALF + 100 > nofile)) && die "SILENT+HALF=$((SILENT + HALF)) needs more descriptors than the limit $nofile"
    build_bench
    setup_results hostile
    meta_line hostile "\"silent\":$SILENT,\"half\":$HALF,\"count\":$COUNT,\"size\":$SIZE,\"backlog\":$BACKLOG,\"handshake_ivl\":\"${HANDSHAKE_IVL:-default}\",\"thread_budget\":$THREAD_BUDGET" >"$out"
    note "results: $out (nofile $nofile)"
    for ((rep = 1; rep <= REPS; rep++)); do
        for lib in $LIBS; do
            run_hostile "$rep" "$lib"
        done
    done
    echo >&2
    "$PYTHON" "$peers/results.py" report "$out"
}

main "$@"
