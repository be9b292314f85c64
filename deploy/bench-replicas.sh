#!/usr/bin/env bash
# Env service throughput with 1, 2 and 4 replicas of docker-compose.yml's `env` service on this
# host: for each count, `--sessions` sessions of random-action steps from a Java client in a
# container on the compose network, spread round-robin over the replicas (as the learner does).
#   deploy/bench-replicas.sh [--sessions 16] [--steps 20000] [--no-build]
# ROMs from $ALE_ROM_DIR (else ./roms); image tag $MA3C_TAG (default latest).
set -euo pipefail
cd "$(dirname "$0")/.."
sessions=16 steps=20000 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "bench-replicas: unknown option $1 (--sessions N, --steps N, --no-build)" >&2; exit 2 ;;
  esac
done
export COMPOSE_PROJECT_NAME=ma3c-bench MA3C_ENV_PORTS=""
trap 'docker compose down --remove-orphans >/dev/null 2>&1 || true' EXIT
if [ "$build" = 1 ]; then
  docker compose build env
fi
for replicas in 1 2 4; do
  docker compose up --detach --wait --scale env="$replicas" env >/dev/null 2>&1
  line=$(docker compose run --rm --no-deps --entrypoint java env -Xmx512m \
    -jar /opt/ma3c/env-service.jar bench --address env:50051 --sessions "$sessions" \
    --steps "$steps" 2>/dev/null | grep 'steps/s')
  echo "$replicas replica(s): $line"
done
