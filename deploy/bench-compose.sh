#!/usr/bin/env bash
# Training frames/s of `docker compose up` (MA3C-2 on Pong+Breakout, 16 actor threads, one env
# replica) with sessions stepping on their connections' network threads over a connection per
# actor thread, and with the env service's worker pool and one shared connection (compose's
# default), alternated for --rounds rounds so that the machine's drift falls on both. Frames/s of a round: from the learner's metrics.jsonl, between the first
# line after --warmup seconds and the last line at --seconds more.
#   deploy/bench-compose.sh [--rounds 2] [--warmup 60] [--seconds 120] [--no-build]
# ROMs from $ALE_ROM_DIR (else ./roms); image tag $MA3C_TAG (default latest).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=2 warmup=60 seconds=120 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "bench-compose: unknown option $1 (--rounds N, --warmup S, --seconds S, --no-build)" >&2; exit 2 ;;
  esac
done
runs="$(mktemp -d)"
export COMPOSE_PROJECT_NAME=ma3c-bench MA3C_ENV_PORTS="" MA3C_RUNS="$runs" MA3C_FRAMES=1000000000
trap 'docker compose down --remove-orphans >/dev/null 2>&1 || true; rm -rf "$runs"' EXIT
if [ "$build" = 1 ]; then
  docker compose build env learner
fi
# frames/s between the first metrics line at >= $warmup s and the last one.
rate() {
  python3 - "$1" "$warmup" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
after = [l for l in lines if l["time"] >= float(sys.argv[2])]
a, b = after[0], after[-1]
print(f"{(b['frames'] - a['frames']) / (b['time'] - a['time']):,.0f} frames/s over {b['time'] - a['time']:.0f} s")
PY
}
for round in $(seq "$rounds"); do
  for mode in transport workers; do
    if [ "$mode" = transport ]; then
      export MA3C_ENV_STEP_ON_TRANSPORT_THREADS=true MA3C_ENV_CONNECTIONS=per-thread
    else
      export MA3C_ENV_STEP_ON_TRANSPORT_THREADS=false MA3C_ENV_CONNECTIONS=1
    fi
    export MA3C_RUN="$mode-$round"
    docker compose up --detach --wait env >/dev/null 2>&1
    docker compose up --detach --no-deps learner >/dev/null 2>&1
    sleep $((warmup + seconds + 5))
    docker compose down >/dev/null 2>&1
    echo "round $round, $mode (ENV_STEP_ON_TRANSPORT_THREADS=$MA3C_ENV_STEP_ON_TRANSPORT_THREADS," \
      "--env-connections $MA3C_ENV_CONNECTIONS): $(rate "$runs/$MA3C_RUN/metrics.jsonl")"
  done
done
