#!/usr/bin/env bash
# Gateway throughput and latency: a small authenticated GET through the gateway vs. the backend called directly vs.
# nginx proxying the same backend. Same load generator (wrk, else bench/GatewayBench's), same connections, one run.
# Env: GATEWAY_BENCH_SECONDS (10), GATEWAY_BENCH_WARMUP (10: tiered JIT needs it when the CPUs are saturated),
# GATEWAY_BENCH_CONNECTIONS (64).
# Exits non-zero when a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${GATEWAY_BENCH_SECONDS:-10}
warmup=${GATEWAY_BENCH_WARMUP:-10}
connections=${GATEWAY_BENCH_CONNECTIONS:-64}

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  had_system_nginx=$([ -s /run/nginx.pid ] && echo yes || echo no)
  $sudo apt-get update -qq >/dev/null || true
  for package in "${missing[@]}"; do
    $sudo apt-get install -y -qq --no-install-recommends "$package" >/dev/null || echo "could not install $package"
  done
  # The package starts a system nginx on port 80 where an init system lets it; ours is private, so stop that one.
  if [ "$had_system_nginx" = no ] && [ -s /run/nginx.pid ]; then $sudo kill "$(cat /run/nginx.pid)" 2>/dev/null || true; fi
fi

# No build servers left behind: the run must end with nothing of ours running.
dotnet build bench/GatewayBench -c Release -nologo -v q -clp:ErrorsOnly -nodeReuse:false -p:UseSharedCompilation=false >/dev/null
bench_bin=$PWD/bench/GatewayBench/bin/Release/net10.0
# From its own folder: WebApplicationFactory finds the gateway's content root through the manifest there.
bench() { cd "$bench_bin" && exec dotnet GatewayBench.dll "$@"; }

work=$(mktemp -d)
chmod 755 "$work"   # nginx workers run as an unprivileged user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${GATEWAY_BENCH_KEEP:-}" ] && cp -r "$work" /tmp/gwbench-last; rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 10000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
wait_port() {
  for _ in $(seq 1 200); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listening on port $1" >&2; return 1
}

# Backend and gateway are separate processes: both trust (and the gateway mints with) one test key.
openssl genrsa -out "$work/token-key.pem" 2048 2>/dev/null
export XUNCHA_TEST_TOKEN_KEY=$work/token-key.pem

backend_port=$(free_port)
(bench backend "$backend_port") >"$work/backend.log" 2>&1 & pids+=($!)
wait_port "$backend_port" || { cat "$work/backend.log"; exit 1; }

identity_port=$(free_port)
(bench identity "$identity_port" "$work/token") >"$work/identity.log" 2>&1 & pids+=($!)
wait_port "$identity_port" || { cat "$work/identity.log"; exit 1; }

# The gateway as deployed: its own process, Release build, validating tokens through discovery.
gateway_port=$(free_port)
(cd gateway/Xuncha.Gateway/bin/Release/net10.0 && ASPNETCORE_URLS="http://127.0.0.1:$gateway_port" \
  Identity__Url="http://127.0.0.1:$identity_port" services__planning__http__0="http://127.0.0.1:$backend_port" \
  Gateway__RateLimits__PerClient__PermitLimit=1000000000 exec dotnet Xuncha.Gateway.dll) >"$work/gateway.log" 2>&1 & pids+=($!)
yarp_port=$(free_port)
(bench yarp "$yarp_port" "http://127.0.0.1:$backend_port") >"$work/yarp.log" 2>&1 & pids+=($!)
wait_port "$yarp_port" || { cat "$work/yarp.log"; exit 1; }
wait_port "$gateway_port" || { cat "$work/gateway.log"; exit 1; }
for _ in $(seq 1 100); do [ -s "$work/token" ] && break; sleep 0.1; done
token=$(cat "$work/token")

nginx_port=""
if [ -x /usr/sbin/nginx ]; then
  nginx_port=$(free_port)
  mkdir -p "$work/nginx/logs"
  cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream planning { server 127.0.0.1:$backend_port; keepalive 128; }
  server {
    listen 127.0.0.1:$nginx_port;
    location /api/planning/ {
      proxy_pass http://planning/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
CONF
  /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" & pids+=($!)
  nginx_pid=$!
  wait_port "$nginx_port" || { cat "$work/nginx/logs/error.log"; exit 1; }
fi

# Prints "req/s p50_ms p99_ms non2xx" for one URL.
measure() {
  local url=$1 duration=$2 out
  if command -v wrk >/dev/null; then
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $token" "$url")
  else
    out=$(bench load "$url" "$connections" "$duration" "$token")
  fi
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ *50%/ { p50 = ms($2) }  /^ *99%/ { p99 = ms($2) }
    /Requests\/sec:/ { rps = $2 }  /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "%s %.2f %.2f %d\n", rps, p50, p99, bad }'
}

# CPU seconds (user + system, in clock ticks) of a process and its children: the proxy's cost per request does not
# depend on what else the machine runs, unlike req/s.
ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

declare -A url result pid cpu
pid[direct]=${pids[0]}
url[direct]="http://127.0.0.1:$backend_port/rounds/1"
url[gateway]="http://127.0.0.1:$gateway_port/api/planning/rounds/1"
url[yarp-bare]="http://127.0.0.1:$yarp_port/api/planning/rounds/1"
pid[gateway]=${pids[2]}
pid[yarp-bare]=${pids[3]}
targets=(direct gateway yarp-bare)
if [ -n "$nginx_port" ]; then url[nginx]="http://127.0.0.1:$nginx_port/api/planning/rounds/1"; pid[nginx]=$nginx_pid; targets=(direct nginx gateway yarp-bare); fi

tool=$(command -v wrk >/dev/null && echo "wrk -t2 -c$connections" || echo "GatewayBench load, $connections connections")
echo "load: $tool, ${seconds}s per target after ${warmup}s warm-up; $(nproc) CPUs shared by load generator, backend and proxy"
echo "request: GET /rounds/1 (≈100-byte JSON) with a bearer token; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for target in "${targets[@]}"; do
  measure "${url[$target]}" "$warmup" >/dev/null
  before=$(ticks "${pid[$target]}")
  result[$target]=$(measure "${url[$target]}" "$seconds")
  # µs of the proxy's CPU per request (for direct: the backend's own).
  cpu[$target]=$(awk -v d="$(( $(ticks "${pid[$target]}") - before ))" -v hz="$hz" -v r="$(echo "${result[$target]}" | cut -d' ' -f1)" -v s="$seconds" \
    'BEGIN { printf "%.1f", (r > 0 ? d / hz * 1e6 / (r * s) : 0) }')
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
rps() { echo "${result[$1]:-0 0 0 0}" | cut -d' ' -f1; }

report=$work/report.txt
{
  printf "%-9s | %10s | %8s | %8s | %15s | %14s | %14s\n" target "req/s" "p50 ms" "p99 ms" "ratio vs direct" "ratio vs nginx" "proxy CPU µs/req"
  printf -- "----------+------------+----------+----------+-----------------+----------------+-----------------\n"
  for target in "${targets[@]}"; do
    read -r r p50 p99 bad <<<"${result[$target]}"
    vs_nginx=$([ -n "$nginx_port" ] && ratio "$r" "$(rps nginx)" || echo "n/a")
    printf "%-9s | %10.0f | %8.2f | %8.2f | %15s | %14s | %14s\n" "$target" "$r" "$p50" "$p99" "$(ratio "$r" "$(rps direct)")" "$vs_nginx" "${cpu[$target]}"
    [ "$bad" -eq 0 ] || echo "  !! $target: $bad responses were not 2xx — its numbers are not valid"
  done
  echo
} | tee "$report"

check() { # name, ratio, needed
  if awk -v r="$2" -v n="$3" 'BEGIN { exit !(r != "n/a" && r >= n) }'; then echo "target: $1: PASS ($2)"; else echo "target: $1: FAIL ($2)"; fi
}
check "gateway ≥ 0.9× direct throughput" "$(ratio "$(rps gateway)" "$(rps direct)")" 0.9 | tee -a "$report"
check "gateway ≥ 1.0× nginx" "$([ -n "$nginx_port" ] && ratio "$(rps gateway)" "$(rps nginx)" || echo n/a)" 1.0 | tee -a "$report"
status=0
grep -q -e FAIL -e '!!' "$report" && status=1
mkdir -p bench/results && cp "$report" "bench/results/gateway-$(date -u +%Y%m%dT%H%M%SZ).txt"
exit $status
