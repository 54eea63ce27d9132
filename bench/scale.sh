#!/usr/bin/env bash
# Connection scale: one ROUTER echo server process (ours: RouterSocket; libzmq: its ROUTER through
# tests/Zmq.LibZmq, both in `Zmq.Bench LIB router-echo`) bound on tcp://127.0.0.1:PORT, and N
# DEALER connections from PEER_PROCS python processes (pyzmq, bench/peers/scale_peer.py: one
# thread and epoll each, no thread per socket). Every DEALER connects, sends one message and
# waits for its reply, all at once. Measured: the time from the first connect until every reply
# arrived; the server's threads (/proc/PID/status) once all N have their reply and are still
# connected, and at its peak; its peak RSS (VmHWM); its close time (SIGTERM with the N still
# connected). Both ROUTERs get the same accept backlog (BACKLOG). Every round also runs N=1, the
# baseline that "threads at N minus threads at 1" is read against. Rounds interleave the libs;
# the tables are medians.
#
#   bench/scale.sh                                  # N=10000, ours and libzmq, 3 rounds
#   N="100 1000 3000" REPS=3 bench/scale.sh         # several sizes in one run
#   N=10000 LIBS=libzmq bench/scale.sh
#
# Environment (defaults in brackets), besides those of bench/whole-common.sh (LIBS, REPS,
# PORT_BASE, BENCH_CMD, SKIP_BUILD, TIMEOUT, GRACE, THREAD_BUDGET, RESULTS_DIR, PYTHON):
#   N [10000]          connections (a space-separated list runs each size)
#   BACKLOG [4096]     accept backlog of both ROUTERs (the kernel caps it at net.core.somaxconn)
#   PEER_PROCS [2]     python peer processes the N DEALERs are split over (more when the fd limit
#                      needs it: each DEALER holds 2 descriptors)
#   REPLY_TIMEOUT [120]  seconds for all replies to arrive once the peers start
#   WARMUP [500]  WARMUP_S [1]  round trips of one DEALER (bench/peers/lat_client.py) to the
#                      server before each run (at least WARMUP of them, for at least WARMUP_S
#                      seconds), then a 0.5 s pause (a .NET server's tiered JIT compiles its hot
#                      paths: the first connect then measures connections, not the JIT); 0: none
#   PROBE_N [100]      before running a lib at N > PROBE_N with nothing measured at >= PROBE_N
#                      yet, it runs once at PROBE_N ("probe":true) to see its threads per connection;
#                      a lib whose projected thread count at N exceeds THREAD_BUDGET is skipped
#                      at that N (recorded "skipped"), e.g. an engine with threads per connection.
# Results: bench/results/scale-<stamp>.jsonl (one line per run, + .log with the stderr of failed
# runs), then the medians table (bench/peers/results.py report FILE recomputes it).
set -u -o pipefail
script_name=scale.sh
source "$(dirname "${BASH_SOURCE[0]}")/whole-common.sh"

N=${N:-10000}
BACKLOG=${BACKLOG:-4096}
PEER_PROCS=${PEER_PROCS:-2}
REPLY_TIMEOUT=${REPLY_TIMEOUT:-120}
PROBE_N=${PROBE_N:-100}
WARMUP=${WARMUP:-500}
WARMUP_S=${WARMUP_S:-1}

declare -A t1_threads=() big_n=() big_threads=()

# run_scale REP LIB N [probe]: one run; appends its JSON line to $out.
run_scale() {
    local rep=$1 lib=$2 n=$3 probe=${4:-false} d procs per extra i k ok=1 line pids=() ep
    d="$tmp/run"
    rm -rf "$d"
    mkdir -p "$d"
    fresh_port
    ep="tcp://127.0.0.1:$port"
    procs=$PEER_PROCS
    ((procs < 1)) && procs=1
    # each DEALER: a TCP socket and a mailbox descriptor; keep well below the peer's limit
    while ((n / procs * 2 + 200 > nofile)); do procs=$((procs + 1)); done
    ((procs > n)) && procs=$n
    echo "[round $rep/$REPS] $lib N=$n$([[ $probe == true ]] && echo ' (probe)') port $port, $procs peer process(es)" >&2

    if start_server "$d" "$lib" router-echo --bind "$ep" --backlog "$BACKLOG" --linger 0; then
        if ((WARMUP > 0)) && ! timeout -k 5 60 "$PYTHON" "$peers/lat_client.py" --connect "$ep" --count 0 \
            --warmup "$WARMUP" --warmup-s "$WARMUP_S" --timeout 30 >"$d/warmup.out" 2>"$d/warmup.err" </dev/null; then
            echo "warm-up round trips failed" >>"$d/fail"
            ok=0
        fi
        ((WARMUP > 0)) && sleep 0.5
        sample_now "$d" idle
        per=$((n / procs))
        extra=$((n % procs))
        for ((i = 0; i < procs && ok; i++)); do
            k=$per
            ((i < extra)) && k=$((k + 1))
            timeout -k 5 "$TIMEOUT" "$PYTHON" "$peers/scale_peer.py" --connect "$ep" --n "$k" --id "$i" \
                --go "$d/go" --release "$d/release" --timeout "$REPLY_TIMEOUT" --hold "$((TIMEOUT / 2))" \
                >"$d/peer.$i.out" 2>"$d/peer.$i.err" </dev/null &
            pids+=($!)
        done
        for ((i = 0; i < procs && ok; i++)); do
            if ! wait_line "$d/peer.$i.out" '"prepared":true' 120 "${pids[i]}"; then
                echo "peer $i did not prepare its sockets" >>"$d/fail"
                ok=0
                break
            fi
        done
        if ((ok)); then
            touch "$d/go"
            for ((i = 0; i < procs; i++)); do
                if ! wait_line "$d/peer.$i.out" '"replies":' $((REPLY_TIMEOUT + 30)) "${pids[i]}" "$srv_tpid"; then
                    if kill -0 "$srv_tpid" 2>/dev/null; then echo "peer $i gave no result" >>"$d/fail"
                    else echo "server exited before peer $i had its replies" >>"$d/fail"; fi
                    ok=0
                fi
            done
        fi
        if ((ok)) && kill -0 "$srv_pid" 2>/dev/null; then
            # every DEALER has its reply and is still connected: the server now
            sample_now "$d" connected
            established "$port" >"$d/conns.connected"
        fi
        stop_server "$d"
        touch "$d/release"
        for ((i = 0; i < ${#pids[@]}; i++)); do
            wait_pid "${pids[i]}" 60
            echo "$rc" >"$d/peer.$i.rc"
            ((killed)) && echo "peer $i did not exit (killed)" >>"$d/fail"
        done
    fi
    line=$("$PYTHON" "$peers/results.py" collect scale "$d" rep="$rep" lib="$lib" n="$n" port="$port" \
        backlog="$BACKLOG" peer_procs="$procs" probe="$probe")
    echo "$line" >>"$out"
    echo "  $line" >&2
    if [[ $line == *'"ok":false'* ]]; then
        log_failure "$d" "round $rep $lib N=$n"
        return
    fi
    local tc
    tc=$(json_num "$line" threads_connected)
    [[ -z $tc || $tc == null ]] && return
    if ((n == 1)); then
        t1_threads[$lib]=$tc
    elif ((n >= PROBE_N && n >= ${big_n[$lib]:-0})); then
        big_n[$lib]=$n
        big_threads[$lib]=$tc
    fi
}

# skip_reason LIB N: prints why LIB must not run at N (projected threads over THREAD_BUDGET), or nothing.
skip_reason() {
    local lib=$1 n=$2 t1 tb nb projected
    t1=${t1_threads[$lib]:-}
    tb=${big_threads[$lib]:-}
    nb=${big_n[$lib]:-}
    [[ -z $t1 || -z $tb || -z $nb ]] && return
    projected=$((t1 + (tb - t1) * n / nb))
    ((projected > THREAD_BUDGET)) &&
        echo "projected $projected threads at N=$n ($tb threads at N=$nb, $t1 at N=1) > THREAD_BUDGET=$THREAD_BUDGET"
}

main() {
    local rep n lib why sizes
    command -v ss >/dev/null || die "ss (iproute2) is needed"
    command -v timeout >/dev/null || die "timeout (coreutils) is needed"
    "$PYTHON" -c 'import zmq' 2>/dev/null || die "pyzmq is needed ($PYTHON -c 'import zmq' failed)"
    for lib in $LIBS; do [[ $lib == zmq || $lib == libzmq ]] || die "unknown lib '$lib' (zmq, libzmq)"; done
    for n in $N; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "bad N '$n'"; done
    raise_nofile
    build_bench
    setup_results scale
    sizes=$(tr ' ' '\n' <<<"1 $N" | sort -n -u | tr '\n' ' ')
    meta_line scale "\"n\":\"$N\",\"backlog\":$BACKLOG,\"peer_procs\":$PEER_PROCS,\"thread_budget\":$THREAD_BUDGET,\"somaxconn\":$(cat /proc/sys/net/core/somaxconn)" >"$out"
    note "results: $out (nofile $nofile, sizes: $sizes)"
    for ((rep = 1; rep <= REPS; rep++)); do
        for n in $sizes; do
            for lib in $LIBS; do
                if ((n > PROBE_N)) && [[ -z ${big_n[$lib]:-} && -n ${t1_threads[$lib]:-} ]]; then
                    run_scale "$rep" "$lib" "$PROBE_N" true
                fi
                why=$(skip_reason "$lib" "$n")
                if [[ -n $why ]]; then
                    echo "  skipped $lib N=$n: $why" >&2
                    echo "{\"bench\":\"scale\",\"rep\":$rep,\"lib\":\"$lib\",\"n\":$n,\"ok\":false,\"skipped\":true,\"reason\":\"$why\"}" >>"$out"
                    continue
                fi
                run_scale "$rep" "$lib" "$n"
            done
        done
    done
    echo >&2
    "$PYTHON" "$peers/results.py" report "$out"
}

main "$@"
