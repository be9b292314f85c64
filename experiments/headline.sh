#!/usr/bin/env bash
# The README's headline figures as medians of repeated runs (issue 31). Each run is a fresh
# `./ma3c` command in its own run directory, alone on the machine; a run stops (SIGTERM: it writes
# its checkpoint and exits) when the mean of its last 20 games first reaches the target, or at the
# time limit. Prints one line per run (minutes and frames to the target, or the means at the
# stop) and the median and range; the runs stay in <runs>/<name>-<i>.
#
#   experiments/headline.sh pong-lstm 3   # train --games pong --arch a3c --lstm, to +18
#   experiments/headline.sh pong-ff 3     # train --games pong --arch a3c, to +18
#   experiments/headline.sh default 2     # ./ma3c (MA3C-2, Pong + Breakout): 60 minutes or its budget
#
# Environment: HEADLINE_RUNS (default runs/headline), HEADLINE_FIRST (the first run's number,
# default 1, to add runs to a set), ALE_ROM_DIR as for ./ma3c.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
name="${1:?usage: headline.sh pong-lstm|pong-ff|default RUNS}"
count="${2:?usage: headline.sh pong-lstm|pong-ff|default RUNS}"
runs="${HEADLINE_RUNS:-$repo/runs/headline}"
first="${HEADLINE_FIRST:-1}"
case "$name" in
  pong-lstm) args=(train --games pong --arch a3c --lstm); target=18; limit=90 ;;
  pong-ff) args=(train --games pong --arch a3c); target=18; limit=90 ;;
  default) args=(); target=; limit=60 ;;
  *) echo "headline.sh: unknown set '$name' (pong-lstm, pong-ff, default)" >&2; exit 2 ;;
esac

# awk rules that set t (seconds) and f (total frames) from a line of episodes.jsonl.
timeAndFrames='
    match($0, /"time":[-0-9.eE+]+/) { t = substr($0, RSTART + 7, RLENGTH - 7) + 0 }
    match($0, /"frames":[0-9]+/) { f = substr($0, RSTART + 9, RLENGTH - 9) + 0 }'

# From episodes.jsonl (lines in the order the games ended): the first time and total frames at
# which the mean of the last 20 games of one game reached the target; nothing if it never did.
reached() {
  awk -v target="$1" "$timeAndFrames"'
    match($0, /"episodeReturn":[-0-9.eE+]+/) {
      r[n++ % 20] = substr($0, RSTART + 16, RLENGTH - 16) + 0
      if (n >= 20) {
        s = 0; for (i = 0; i < 20; i++) s += r[i]
        if (s / 20 >= target) { printf "%.1f %.2f %.2f\n", t / 60, f / 1e6, s / 20; exit }
      }
    }' "$2"
}

# The mean of the last 100 games of each game, at the end of the log.
lastMeans() {
  awk '
    match($0, /"game":"[^"]+"/) { g = substr($0, RSTART + 8, RLENGTH - 9) }
    match($0, /"episodeReturn":[-0-9.eE+]+/) {
      k = c[g]++ % 100; sum[g] += substr($0, RSTART + 16, RLENGTH - 16) - last[g, k]
      last[g, k] = substr($0, RSTART + 16, RLENGTH - 16) + 0
    }
    END { for (g in c) printf "%s %.1f (%d games) ", g, sum[g] / (c[g] < 100 ? c[g] : 100), c[g]; print "" }' "$1"
}

mkdir -p "$runs"
results=()
for ((i = first; i < first + count; i++)); do
  dir="$runs/$name-$i"
  if [ -e "$dir" ]; then
    echo "headline.sh: $dir exists; set HEADLINE_FIRST past it" >&2
    exit 2
  fi
  echo "$(date -u +%H:%M:%S) $name-$i: ./ma3c ${args[*]} --run-dir $dir" >&2
  "$repo/ma3c" "${args[@]}" --run-dir "$dir" --progress-every 60 >"$runs/$name-$i.log" 2>&1 &
  pid=$!
  start=$(date +%s)
  hit=
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10
    if [ -n "$target" ] && [ -f "$dir/episodes.jsonl" ]; then
      hit="$(reached "$target" "$dir/episodes.jsonl")"
    fi
    if [ -n "$hit" ] || (( $(date +%s) - start >= limit * 60 )); then
      kill -TERM "$pid"
      break
    fi
  done
  wait "$pid" || true
  if [ -n "$target" ]; then
    line="${hit:-not reached in $limit minutes}"
    [ -n "$hit" ] && results+=("$hit")
    echo "$name-$i: minutes, frames (M) and last-20 mean when it first reached $target: $line; at the stop: $(lastMeans "$dir/episodes.jsonl")"
  else
    # It stops at the time limit or, when the engine is fast enough, at its frame budget first.
    stop="$(tail -n 1 "$dir/episodes.jsonl" | awk "$timeAndFrames"'
      END { printf "%.1f minutes, %.2fM frames", t / 60, f / 1e6 }')"
    echo "$name-$i: at the stop ($stop), the mean of the last 100 games: $(lastMeans "$dir/episodes.jsonl")"
  fi
done
# Median and range over the runs; a run that never reached the target counts as slower than all.
if [ -n "$target" ]; then
  { [ "${#results[@]}" -eq 0 ] || printf '%s\n' "${results[@]}"; } | sort -n | awk -v runs="$count" -v limit="$limit" '
    { m[NR] = $1; f[NR] = $2 }
    END {
      n = NR; mid = int((runs + 1) / 2)
      if (n < mid) { printf "%d of %d runs reached the target: the median is over %d minutes\n", n, runs, limit; exit }
      slowest = n == runs ? sprintf("%.1f", m[n]) : sprintf("over %d", limit)
      printf "%d of %d runs reached the target: median %.1f minutes (range %.1f to %s), the median run at %.2fM frames\n", n, runs, m[mid], m[1], slowest, f[mid]
    }'
fi
