#!/usr/bin/env bash
# Load test of POST /wechat (the real path: signature, decryption, parsing, dedupe, engine, encrypted reply) with the
# peer harness in /work/shared/bench/peers (wrk + post.lua, 10,000 distinct text messages from 100 senders).
#
#   bench/wechat/run.sh            # ours, safe mode and plaintext
#   bench/wechat/run.sh --peers    # also the kestrel baseline and the node-webot peer (safe mode)
#   bench/wechat/run.sh --first-delivery   # also a run where every message is new (the engine path)
#
# Everything listens on 127.0.0.1 and every load run is bounded (wrk -d10s inside timeout 60).
# Needs: .NET 10 SDK, wrk (apt-get install -y wrk), python3 with `cryptography`, node + npm for --peers.
# Results: bench/wechat/results/NAME/ (raw wrk output) and a Markdown table on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
peers="${PEERS_DIR:-$repo/../../shared/bench/peers}"
[[ -d "$peers" ]] || peers=/work/shared/bench/peers
results="$here/results"
work="$(mktemp -d)"
port="${PORT:-5090}"
pids=()

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 2; }
python3 -c "import cryptography" || { echo "python3 cryptography missing" >&2; exit 2; }

wait_ready() { # url
    for _ in $(seq 1 120); do curl -fs -o /dev/null "$1" && return 0; sleep 0.5; done
    echo "server at $1 did not come up" >&2; return 1
}

echo "== requests"
python3 "$peers/gen_requests.py" --out "$work/out" >/dev/null

echo "== ours (Release)"
dotnet build -c Release "$repo/src/ChatBot.Host" -v q -nologo >/dev/null
(
    cd "$work"
    # The peers' made-up loopback credentials; a fresh SQLite file with the demo data; logs at Warning so the
    # console is not what is measured; Hangfire and the rest of the host run as in production.
    Urls="http://127.0.0.1:$port" \
    Database__Provider=Sqlite Database__ConnectionString="Data Source=$work/bench.db" \
    Logging__LogLevel__Default=Warning \
    WeChat__Token=benchtoken WeChat__AppId=wx0123456789abcdef WeChat__AppSecret=bench-not-a-secret \
    WeChat__EncodingAESKey=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG WeChat__Mode=Compatible \
    WeChat__ApiBaseUrl=http://127.0.0.1:9 \
    DOTNET_gcServer=1 \
    exec dotnet "$repo/src/ChatBot.Host/bin/Release/net10.0/ChatBot.Host.dll" >"$work/host.log" 2>&1
) &
ours=$!; pids+=("$ours")
wait_ready "http://127.0.0.1:$port/healthz"
python3 "$peers/check.py" "http://127.0.0.1:$port" "$work/out/requests-aes.txt" 3
python3 "$peers/check.py" "http://127.0.0.1:$port" "$work/out/requests-plain.txt" 3
"$peers/run_bench.sh" ours-aes "http://127.0.0.1:$port" "$work/out/requests-aes.txt" "$ours" "$results"
"$peers/run_bench.sh" ours-plain "http://127.0.0.1:$port" "$work/out/requests-plain.txt" "$ours" "$results"
kill "$ours"; wait "$ours" 2>/dev/null || true

if [[ " $* " == *" --first-delivery "* ]]; then
    # Every request a message the server has never seen, so each one runs the real engine (identify, session,
    # search, reply) instead of returning a parked reply: 300,000 distinct messages, far more than one run sends.
    # Warm-up uses the plaintext file, whose MsgIds are a different range, so the measured run starts cold for dedupe.
    echo "== ours, first deliveries only"
    python3 "$peers/gen_requests.py" --count 300000 --out "$work/big" >/dev/null
    rm -f "$work/bench.db"*
    (
        cd "$work"
        Urls="http://127.0.0.1:$port" \
        Database__Provider=Sqlite Database__ConnectionString="Data Source=$work/bench.db" \
        Logging__LogLevel__Default=Warning \
        WeChat__Token=benchtoken WeChat__AppId=wx0123456789abcdef WeChat__AppSecret=bench-not-a-secret \
        WeChat__EncodingAESKey=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG \
        WeChat__ApiBaseUrl=http://127.0.0.1:9 \
        DOTNET_gcServer=1 \
        exec dotnet "$repo/src/ChatBot.Host/bin/Release/net10.0/ChatBot.Host.dll" >"$work/host-first.log" 2>&1
    ) &
    first=$!; pids+=("$first")
    wait_ready "http://127.0.0.1:$port/healthz"
    timeout 60 wrk -t1 -c32 -d6s -s "$peers/post.lua" "http://127.0.0.1:$port" -- "$work/big/requests-plain.txt" >/dev/null
    mkdir -p "$results/ours-aes-first"
    # One run only: a second would restart at the file's first line, with messages the first run already sent.
    timeout 60 wrk -t1 -c32 -d8s --latency -s "$peers/post.lua" "http://127.0.0.1:$port" -- "$work/big/requests-aes.txt" \
        > "$results/ours-aes-first/c32-run1.txt"
    grep -E 'Requests/sec|requests in|  50%|  99%' "$results/ours-aes-first/c32-run1.txt" | sed "s/^/  [first-delivery] /"
    kill "$first"; wait "$first" 2>/dev/null || true
fi

if [[ " $* " == *" --peers "* ]]; then
    echo "== kestrel baseline"
    dotnet build -c Release "$peers/kestrel-baseline" -v q -nologo >/dev/null
    dotnet "$peers/kestrel-baseline/bin/Release/net10.0/KestrelBaseline.dll" --urls "http://127.0.0.1:$((port + 1))" >/dev/null 2>&1 &
    kestrel=$!; pids+=("$kestrel"); sleep 2
    "$peers/run_bench.sh" kestrel-aes "http://127.0.0.1:$((port + 1))" "$work/out/requests-aes.txt" "$kestrel" "$results"
    kill "$kestrel"; wait "$kestrel" 2>/dev/null || true

    echo "== node-webot/wechat"
    (cd "$peers/node-wechat" && [[ -d node_modules ]] || npm install --no-audit --no-fund >/dev/null)
    PORT=$((port + 2)) node "$peers/node-wechat/server.js" >/dev/null 2>&1 &
    node=$!; pids+=("$node"); sleep 1
    python3 "$peers/check.py" "http://127.0.0.1:$((port + 2))" "$work/out/requests-aes.txt" 3
    "$peers/run_bench.sh" node-aes "http://127.0.0.1:$((port + 2))" "$work/out/requests-aes.txt" "$node" "$results"
    kill "$node"; wait "$node" 2>/dev/null || true
fi

python3 "$peers/summarize.py" "$results"
