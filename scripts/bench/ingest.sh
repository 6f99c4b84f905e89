#!/usr/bin/env bash
# Inbound benchmark: this bot (Release, real PostgreSQL with fsync on) against the official Bot Framework SDK
# (the botbuilder-js peer in ../shared/peers/botbuilder-js, a handler that does nothing), side by side on the same
# fake OpenID keys, loaded by wrk (Debian package, installed when missing) with the same signed token and the same
# `typing` activity over 64 connections; the two bots alternate run by run, 3 runs each, medians reported.
# Then the 10:00 spike: 5,000 people of one tenant answer a pulse through the real invoke path.
#   scripts/bench/ingest.sh              both scenarios
#   scripts/bench/ingest.sh ingest|spike one of them
# Lines:  ingest c=64: ours=<req/s> peer=<req/s> ratio=<ours/peer> ours_p99_ms=... ours_rss_mb=...   (medians; rss = peak)
#         spike: answers=5000 per_s=... p99_ms=... lost=0
# Environment: INGEST_RUNS (3), INGEST_SECONDS (10), INGEST_PEER (the peer's directory).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

what="${1:-all}"
case "$what" in all|ingest|spike) ;; *) echo "ingest.sh: unknown scenario '$what' (ingest or spike)" >&2; exit 64 ;; esac
runs="${INGEST_RUNS:-3}"
seconds="${INGEST_SECONDS:-10}"
peer_src="${INGEST_PEER:-$root/../shared/peers/botbuilder-js}"
connections=64

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing wrk (Debian package)..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "ingest.sh: wrk is missing (apt-get install wrk)" >&2; exit 69
  fi
fi

source scripts/bench/throwaway-pg.sh
pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; cleanup; }
trap stop_all EXIT

lines=()
if [ "$what" != spike ]; then
  [ -f "$peer_src/bot.js" ] || { echo "ingest.sh: the peer is not at $peer_src (set INGEST_PEER)" >&2; exit 66; }
  echo "installing the peer (botbuilder-js) outside the repository..."
  cp -r "$peer_src" "$work/peer"
  (cd "$work/peer" && npm install --no-audit --no-fund --silent >/dev/null)

  keys="$work/keys"
  "${bench[@]}" ingest-keys "$keys" > "$work/keys.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do [ -f "$keys/ready" ] && break; sleep 0.1; done
  [ -f "$keys/ready" ] || { cat "$work/keys.log" >&2; exit 70; }
  token="$(cat "$keys/token")"
  app_id=5d0c2f5e-8a36-4bb4-a35a-0b4d3b5a2a77

  db="ingest_$$"
  PGPASSWORD= psql "host=127.0.0.1 port=$ALIGNMENTBOT_PG_PORT user=postgres dbname=postgres" -qc "CREATE DATABASE $db" >/dev/null

  ours_port=$(free_port 4977); peer_port=$(free_port 4978)
  ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
  ConnectionStrings__Postgres="Host=127.0.0.1;Port=$ALIGNMENTBOT_PG_PORT;Username=postgres;Database=$db" \
  Teams__AppId="$app_id" Teams__AppPassword=not-used-by-inbound-turns Teams__TenantId=72f988bf-86f1-41af-91ab-2d7cd011db47 \
  Teams__OpenIdMetadataUrl="$(cat "$keys/openid_url")" Teams__AllowedServiceUrlHosts__0=127.0.0.1 \
  Privacy__ResponseKeySecret=ingest-bench-response-key-secret-0123456789 Charts__PublicBaseUrl=http://127.0.0.1:9 \
  Logging__LogLevel__Default=Warning \
    dotnet bot/bin/Release/net10.0/AlignmentBot.Bot.dll --urls "http://127.0.0.1:$ours_port" > "$work/ours.log" 2>&1 &
  ours_pid=$!; pids+=($ours_pid)
  PORT=$peer_port APP_ID="$app_id" OPENID_URL="$(cat "$keys/openid_url")" LOCAL_BASE="$(cat "$keys/local_base")" \
    node "$work/peer/bot.js" > "$work/peer.log" 2>&1 &
  pids+=($!)
  for port in "$ours_port" "$peer_port"; do
    for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/ours.log" "$work/peer.log" >&2; exit 70; }
  done

  # One request first, checked: both must accept the token and the activity (200), or the figures mean nothing.
  for port in "$ours_port" "$peer_port"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      --data-binary "@$keys/typing.json" "http://127.0.0.1:$port/api/messages")
    [ "$code" = 200 ] || { echo "ingest.sh: the bot on port $port answered $code to the benchmark activity" >&2; cat "$work/ours.log" "$work/peer.log" >&2; exit 70; }
  done

  cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("$keys/typing.json", "rb"); wrk.body = f:read("*a"); f:close()
function done(summary, latency, requests)
  local non2xx = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("result rps=%.1f p99_ms=%.1f errors=%d\n", summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000, non2xx))
end
LUA
  load() { wrk -t2 -c$connections -d"${1}s" --timeout 5s -s "$work/post.lua" "http://127.0.0.1:$2/api/messages" | grep '^result '; }
  echo "warming up both bots..."
  load 5 "$ours_port" >/dev/null; load 5 "$peer_port" >/dev/null

  ours=(); peer=()
  for i in $(seq 1 "$runs"); do
    o="$(load "$seconds" "$ours_port")"; echo "run $i ours: $o"; ours+=("$o")
    p="$(load "$seconds" "$peer_port")"; echo "run $i peer: $p"; peer+=("$p")
  done
  rss_mb=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$ours_pid/status")
  o_rps=$(printf '%s\n' "${ours[@]}" | median rps); p_rps=$(printf '%s\n' "${peer[@]}" | median rps)
  o_p99=$(printf '%s\n' "${ours[@]}" | median p99_ms)
  errors=$(printf '%s\n' "${ours[@]}" "${peer[@]}" | sed -n 's/.* errors=\([0-9]*\).*/\1/p' | paste -sd+ | bc)
  [ "$errors" = 0 ] || echo "warning: $errors requests failed or were not 2xx during the runs"
  lines+=("$(printf 'ingest c=%d: ours=%.0f peer=%.0f ratio=%.2f ours_p99_ms=%s ours_rss_mb=%s' "$connections" "$o_rps" "$p_rps" "$(echo "$o_rps / $p_rps" | bc -l)" "$o_p99" "$rss_mb")")
  echo "${lines[-1]}"
fi

if [ "$what" != ingest ]; then
  out="$work/spike.out"
  "${bench[@]}" spike | tee "$out"
  lines+=("$(grep '^spike: ' "$out" | tail -n 1)")
fi

printf '%s\n' "${lines[@]}"
