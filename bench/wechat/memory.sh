#!/usr/bin/env bash
# Memory over many distinct messages: starts the host (Release, embedded SQLite, safe-mode credentials of the peer
# harness) on 127.0.0.1 and sends MESSAGES distinct safe-mode messages at full speed with the wechat-load client,
# which prints the server's RSS every 10 s. Bounded: the client stops after MESSAGES or MAX_SECONDS.
#
#   bench/wechat/memory.sh                 # 1,000,000 messages, 32 connections
#   MESSAGES=200000 bench/wechat/memory.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
port="${PORT:-5091}"
host_pid=""
cleanup() { [[ -n "$host_pid" ]] && kill "$host_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release "$repo/src/ChatBot.Host" -v q -nologo >/dev/null
dotnet build -c Release "$repo/bench/ChatBot.Benchmarks" -v q -nologo >/dev/null
(
    cd "$work"
    Urls="http://127.0.0.1:$port" \
    Database__Provider=Sqlite Database__ConnectionString="Data Source=$work/bench.db" \
    Logging__LogLevel__Default=Warning \
    WeChat__Token=benchtoken WeChat__AppId=wx0123456789abcdef WeChat__AppSecret=bench-not-a-secret \
    WeChat__EncodingAESKey=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG WeChat__Mode=Safe \
    WeChat__ApiBaseUrl=http://127.0.0.1:9 \
    DOTNET_gcServer=1 \
    exec dotnet "$repo/src/ChatBot.Host/bin/Release/net10.0/ChatBot.Host.dll" >"$work/host.log" 2>&1
) &
host_pid=$!
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.5; done
echo "host pid $host_pid, RSS at start: $(awk '/VmRSS/ {print int($2/1024)}' /proc/$host_pid/status) MB"
dotnet "$repo/bench/ChatBot.Benchmarks/bin/Release/net10.0/ChatBot.Benchmarks.dll" wechat-load \
    --url "http://127.0.0.1:$port" --messages "${MESSAGES:-1000000}" --connections "${CONNECTIONS:-32}" \
    --pid "$host_pid" --max-seconds "${MAX_SECONDS:-900}"
