# Shared by bench/scale.sh, bench/hostile.sh and bench/fanout.sh (sourced, not run).
#
# Environment common to the three (defaults in brackets):
#   LIBS ["zmq libzmq"]   REPS [3]   PORT_BASE [random, below the ephemeral range]
#   BENCH_CMD             a built Zmq.Bench to use as is (may hold words); default: build
#                         bench/Zmq.Bench (Release) into .build/bench-whole and use that
#   SKIP_BUILD [0]        1: use the last build in .build/bench-whole without rebuilding
#   RESULTS_DIR [bench/results]   PYTHON [/usr/bin/python3]
#   TIMEOUT [300]         seconds any one process may run (each runs under `timeout`)
#   GRACE [60]            seconds a server may take to exit after SIGTERM
#   THREAD_BUDGET [10000] a server with more threads than this is killed (the run fails)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
peers="$here/peers"

LIBS=${LIBS:-"zmq libzmq"}
REPS=${REPS:-3}
TIMEOUT=${TIMEOUT:-300}
GRACE=${GRACE:-60}
THREAD_BUDGET=${THREAD_BUDGET:-10000}
SKIP_BUILD=${SKIP_BUILD:-0}
RESULTS_DIR=${RESULTS_DIR:-"$repo/bench/results"}
PYTHON=${PYTHON:-/usr/bin/python3}
[[ -x $PYTHON ]] || PYTHON=python3
EPHEMERAL_LOW=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
PORT_MAX=$((EPHEMERAL_LOW > 21000 ? EPHEMERAL_LOW - 1 : 60000))
PORT_BASE=${PORT_BASE:-$((20000 + RANDOM % (PORT_MAX - 20000 - 500)))}

bench_cmd=()
export PYTHONDONTWRITEBYTECODE=1   # the peers import bench/peers/peerlib.py: no __pycache__ there

die() { echo "$script_name: $*" >&2; exit 1; }
note() { echo "$script_name: $*" >&2; }

# Many connections need many descriptors: soft limit up to the hard one (children inherit it).
raise_nofile() {
    local hard
    hard=$(ulimit -Hn)
    if [[ $hard == unlimited ]]; then ulimit -n 1048576 2>/dev/null || true; else ulimit -n "$hard" 2>/dev/null || true; fi
    nofile=$(ulimit -n)
}

build_bench() {
    if [[ -n ${BENCH_CMD:-} ]]; then
        read -r -a bench_cmd <<<"$BENCH_CMD"
        return
    fi
    local art="$repo/.build/bench-whole" app
    app="$art/bin/Zmq.Bench/release/Zmq.Bench"
    if [[ $SKIP_BUILD != 1 || ! -f $app.dll ]]; then
        mkdir -p "$art"
        note "building bench/Zmq.Bench (Release) into $art ..."
        DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet build "$repo/bench/Zmq.Bench/Zmq.Bench.csproj" \
            -c Release -nologo -v q --artifacts-path "$art" >"$art.build.log" 2>&1 ||
            { tail -n 30 "$art.build.log" >&2; die "building bench/Zmq.Bench failed (log: $art.build.log)"; }
    fi
    if [[ -x $app ]]; then bench_cmd=("$app"); else bench_cmd=(dotnet "$app.dll"); fi
    [[ -f $app.dll ]] || die "Zmq.Bench not built: $app.dll"
}

port_in_use() { [[ -n $(ss -Htan "sport = :$1" 2>/dev/null | head -n 1) ]]; }

next_port=$PORT_BASE
fresh_port() {
    while :; do
        next_port=$((next_port + 1))
        ((next_port > PORT_MAX)) && next_port=20001
        port_in_use "$next_port" || break
    done
    port=$next_port
}

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# wait_line FILE REGEX SECONDS [PID [PID2]]: waits until FILE has a line matching REGEX (grep -E),
# at most SECONDS, and while PID (the writer, if given) and PID2 (e.g. the server) live. Returns 1
# on time-out or when either exited first.
wait_line() {
    local file=$1 re=$2 secs=$3 pid=${4:-} pid2=${5:-} end
    end=$(($(now_ms) + secs * 1000))
    while :; do
        grep -Eq "$re" "$file" 2>/dev/null && return 0
        if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
            grep -Eq "$re" "$file" 2>/dev/null && return 0
            return 1
        fi
        if [[ -n $pid2 ]] && ! kill -0 "$pid2" 2>/dev/null; then
            grep -Eq "$re" "$file" 2>/dev/null && return 0
            return 1
        fi
        (($(now_ms) > end)) && return 1
        sleep 0.02
    done
}

# wait_pid PID SECONDS: waits at most SECONDS for PID (a child) to exit; sets rc (its status, or
# 137 after a SIGKILL when it did not exit in time; then killed=1).
wait_pid() {
    local pid=$1 secs=$2 end
    killed=0
    end=$(($(now_ms) + secs * 1000))
    while kill -0 "$pid" 2>/dev/null && (($(now_ms) <= end)); do sleep 0.02; done
    if kill -0 "$pid" 2>/dev/null; then
        killed=1
        kill -KILL "$pid" 2>/dev/null
        pkill -KILL -P "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    rc=$?
}

# json_num LINE KEY: the value of a flat JSON line's key (numbers, true/false; strings unquoted).
json_num() { sed -n "s/.*\"$2\":\"\{0,1\}\([^,}\"]*\).*/\1/p" <<<"$1" | head -n 1; }

# start_server DIR LIB MODE ARGS...: starts `Zmq.Bench LIB MODE ARGS` under timeout (stdout
# DIR/srv.out, stderr DIR/srv.err) and waits for its ready line; sets srv_tpid (timeout's pid)
# and srv_pid (the server's own pid, from the ready line). Returns 1 (with DIR/fail) when it
# does not get ready within 60 s.
start_server() {
    local dir=$1 lib=$2 mode=$3
    shift 3
    : >"$dir/srv.out"
    timeout -k 5 "$TIMEOUT" "${bench_cmd[@]}" "$lib" "$mode" "$@" >"$dir/srv.out" 2>"$dir/srv.err" </dev/null &
    srv_tpid=$!
    srv_pid=
    if ! wait_line "$dir/srv.out" '"ready":true' 60 "$srv_tpid"; then
        echo "server did not get ready" >"$dir/fail"
        kill -KILL "$srv_tpid" 2>/dev/null
        wait_pid "$srv_tpid" 5
        return 1
    fi
    srv_pid=$(json_num "$(grep -m1 '"ready":true' "$dir/srv.out")" pid)
    "$PYTHON" "$peers/procwatch.py" "$srv_pid" --max-threads "$THREAD_BUDGET" --max-s "$TIMEOUT" >"$dir/pw.out" 2>"$dir/pw.err" &
    pw_pid=$!
    return 0
}

# stop_server DIR: SIGTERM to the server (which then closes its socket and prints dispose_ms);
# records the time from the signal to its exit in DIR/srv.exit_ms and its status in DIR/srv.rc.
stop_server() {
    local dir=$1 t0
    t0=$(now_ms)
    [[ -n $srv_pid ]] && kill -TERM "$srv_pid" 2>/dev/null
    wait_pid "$srv_tpid" "$GRACE"
    echo $(($(now_ms) - t0)) >"$dir/srv.exit_ms"
    echo "$rc" >"$dir/srv.rc"
    if ((killed)); then
        echo "server still running ${GRACE}s after SIGTERM (killed)" >>"$dir/fail"
    fi
    kill -TERM "$pw_pid" 2>/dev/null
    wait_pid "$pw_pid" 10
}

# sample_now DIR NAME: one /proc sample of the server into DIR/now.NAME.
sample_now() { "$PYTHON" "$peers/procwatch.py" --once "$srv_pid" >"$1/now.$2" 2>/dev/null; }

# established PORT: connections in state ESTABLISHED whose local port is PORT (the server's side,
# including those still in the accept queue).
established() { ss -Htn state established "( sport = :$1 )" 2>/dev/null | wc -l; }

# accept_queue PORT: connections waiting in the listener's accept queue (Recv-Q of the LISTEN socket).
accept_queue() { ss -Hltn "( sport = :$1 )" 2>/dev/null | awk '{q += $2} END {print q + 0}'; }

# Copies the stderr tails of a failed run into the log.
log_failure() { # DIR TITLE
    local f
    {
        echo "=== $2: $(cat "$1/fail" 2>/dev/null)"
        for f in "$1"/*.err; do
            [[ -s $f ]] || continue
            echo "--- $(basename "$f")"
            tail -n 20 "$f"
        done
    } >>"$log"
}

setup_results() { # KIND
    mkdir -p "$RESULTS_DIR"
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    out="$RESULTS_DIR/$1-$stamp.jsonl"
    log="$RESULTS_DIR/$1-$stamp.log"
    tmp=$(mktemp -d /tmp/zmq-$1.XXXXXX)
    trap 'cleanup_all' EXIT
    trap 'exit 130' INT TERM
}

# At exit: nothing of ours left running (every child is under timeout, but a signal to the script
# must not leave thousands of connections behind).
cleanup_all() {
    local p
    for p in $(jobs -p); do kill -TERM "$p" 2>/dev/null; done
    sleep 0.2
    for p in $(jobs -p); do kill -KILL "$p" 2>/dev/null; pkill -KILL -P "$p" 2>/dev/null; done
    [[ -n ${tmp:-} && -d $tmp ]] && rm -rf "$tmp"
}

meta_line() { # KIND EXTRA-JSON-FIELDS
    local rev dirty
    rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
    dirty=$(git -C "$repo" status --porcelain -- src 2>/dev/null | head -n 1)
    echo "{\"meta\":true,\"bench\":\"$1\",\"utc\":\"$stamp\",\"host\":\"$(hostname)\",\"nproc\":$(nproc),\"rev\":\"$rev\",\"src_dirty\":$([[ -n $dirty ]] && echo true || echo false),\"bench_cmd\":\"${bench_cmd[*]}\",\"libs\":\"$LIBS\",\"reps\":$REPS,\"nofile\":$nofile,$2}"
}
