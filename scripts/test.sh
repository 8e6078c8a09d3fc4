#!/usr/bin/env bash
# The project's one test command: installs what the tests need (Debian), starts throwaway PostgreSQL and Redis
# servers on private loopback ports, runs `dotnet test ChatBot.sln "$@"` against them, and always stops them again.
#
# Exported to the tests: CHATBOT_TEST_POSTGRES, CHATBOT_TEST_REDIS, CHATBOT_TEST_CHROMIUM (see
# tests/ChatBot.IntegrationTests/Infrastructure/TestServices.cs).
# A service that cannot be had is left unset: its tests skip, or fail when CHATBOT_REQUIRE_SERVICES=1 (CI).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

# Debian packages the tests need: the two servers, and Chromium for the browser tests of the member pages
# (driven by Microsoft.Playwright with ExecutablePath=/usr/bin/chromium; no tool downloads its own browser).
required_packages=(redis-server postgresql chromium)

log() { printf 'test.sh: %s\n' "$*" >&2; }

pg_bin_dir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

# True when the programs a package provides are present (works whether or not they came from dpkg).
package_present() {
    case "$1" in
        redis-server) command -v redis-server >/dev/null && command -v redis-cli >/dev/null ;;
        postgresql) [[ -n "$(pg_bin_dir)" && -x "$(pg_bin_dir)/initdb" ]] ;;
        chromium) [[ -x /usr/bin/chromium ]] ;;
        *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ;;
    esac
}

work_dir=""
redis_pid=""
pg_data=""
pg_started=""
created_policy=""

# Runs a command as the postgres system user when we are root, since PostgreSQL refuses to run as root.
as_pg_user() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cleanup() {
    set +e
    if [[ -n "$redis_pid" ]]; then
        kill "$redis_pid" 2>/dev/null
        wait "$redis_pid" 2>/dev/null
    fi
    if [[ -n "$pg_started" ]]; then
        as_pg_user "$(pg_bin_dir)/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1
    fi
    if [[ -n "$created_policy" ]]; then
        rm -f /usr/sbin/policy-rc.d
    fi
    if [[ -n "$work_dir" ]]; then
        rm -rf "$work_dir"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

install_missing_packages() {
    local missing=() pkg
    for pkg in "${required_packages[@]}"; do
        package_present "$pkg" || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0

    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
        log "WARNING: missing ${missing[*]} and cannot install them (needs root on Debian/Ubuntu)."
        log "WARNING: tests that need them will skip (or fail when CHATBOT_REQUIRE_SERVICES=1)."
        return 0
    fi

    log "installing ${missing[*]}"
    # Keep the packages' own services (port 5432/6379) from starting: the tests use private servers below.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        created_policy=1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [[ -n "$created_policy" ]]; then
        rm -f /usr/sbin/policy-rc.d
        created_policy=""
    fi
}

port_in_use() {
    (: >"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
    local port=$1
    while port_in_use "$port"; do
        port=$((port + 1))
    done
    echo "$port"
}

start_redis() {
    if ! package_present redis-server; then
        log "WARNING: redis-server not available; CHATBOT_TEST_REDIS stays unset."
        return 0
    fi
    local port
    port=$(free_port 56379)
    mkdir -p "$work_dir/redis"
    redis-server --save '' --appendonly no --port "$port" --bind 127.0.0.1 --dir "$work_dir/redis" \
        --daemonize no >"$work_dir/redis.log" 2>&1 &
    redis_pid=$!
    local i
    for i in $(seq 1 100); do
        if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == "PONG" ]]; then
            export CHATBOT_TEST_REDIS="127.0.0.1:$port"
            log "redis-server on 127.0.0.1:$port"
            return 0
        fi
        kill -0 "$redis_pid" 2>/dev/null || break
        sleep 0.1
    done
    log "ERROR: redis-server did not start:"
    cat "$work_dir/redis.log" >&2
    return 1
}

start_postgres() {
    if ! package_present postgresql; then
        log "WARNING: PostgreSQL not available; CHATBOT_TEST_POSTGRES stays unset."
        return 0
    fi
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        log "WARNING: running as root but there is no 'postgres' user to run PostgreSQL; CHATBOT_TEST_POSTGRES stays unset."
        return 0
    fi
    local bin port
    bin=$(pg_bin_dir)
    port=$(free_port 55432)
    pg_data="$work_dir/pg/data"
    mkdir -p "$work_dir/pg/socket"
    [[ $(id -u) -eq 0 ]] && chown -R postgres "$work_dir"
    as_pg_user "$bin/initdb" -D "$pg_data" -U postgres --auth=trust --no-locale -E UTF8 >"$work_dir/pg/initdb.log" 2>&1 || {
        log "ERROR: initdb failed:"; cat "$work_dir/pg/initdb.log" >&2; return 1; }
    # Durability is pointless for a throwaway cluster; turning it off makes database-per-test cheap.
    pg_started=1
    as_pg_user "$bin/pg_ctl" -D "$pg_data" -l "$work_dir/pg/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $work_dir/pg/socket -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { log "ERROR: PostgreSQL did not start:"; cat "$work_dir/pg/server.log" >&2; return 1; }
    local i
    for i in $(seq 1 100); do
        if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
            export CHATBOT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Include Error Detail=true"
            log "PostgreSQL on 127.0.0.1:$port"
            return 0
        fi
        sleep 0.1
    done
    log "ERROR: PostgreSQL does not accept connections:"
    cat "$work_dir/pg/server.log" >&2
    return 1
}

# Prints one plain closing line summed over all test assemblies, e.g. "Tests: 120 passed, 0 failed, 3 skipped".
summarise() {
    awk '
        /(Passed|Failed|Skipped)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
            line = $0
            sub(/^.*Failed: +/, "", line)
            gsub(/[^0-9,]/, " ", line)
            split(line, n, ",")
            failed += n[1]; passed += n[2]; skipped += n[3]
        }
        END { printf "Tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
    ' "$1"
}

install_missing_packages
work_dir=$(mktemp -d -t chatbot-test.XXXXXX)
start_redis
start_postgres
if [[ -x /usr/bin/chromium ]]; then
    export CHATBOT_TEST_CHROMIUM=/usr/bin/chromium
else
    log "Chromium not available: browser tests will skip (or fail under CHATBOT_REQUIRE_SERVICES=1)"
fi

set +e
dotnet test ChatBot.sln "$@" 2>&1 | tee "$work_dir/dotnet-test.log"
status=${PIPESTATUS[0]}
set -e
summarise "$work_dir/dotnet-test.log"
exit "$status"
