#!/usr/bin/env bash
# The seed campaign behind docs/REPRODUCTION.md: seed 2 of every arm of Figures 4 (both pairs)
# and 5, then seed 3 of each, then seeds 4 and 5 of Figure 4, so that partial results stay
# balanced. Seed 1 is in experiments/results already.
#
#   ALE_ROM_DIR=/path/to/roms experiments/campaign.sh [commit]
#
# It trains with a jar built at one commit (default: HEAD) in a clone of its own, so that edits
# to this checkout cannot change a run in flight, and it is resumable: run it again after an
# interruption and each experiment resumes from its checkpoints (a run with a finished
# checkpoint is skipped). The clone's experiments/results holds the kept logs committed up to
# this checkout's HEAD when it was made, so a run already committed is not trained again (on a
# fresh machine too, with an older commit); the experiments' own reports go there. Pause it while
# something else needs the cores: kill -STOP / -CONT on the java process. Each experiment's start
# and end, with the commit that trains it, is a line of <clone>/campaign.jsonl; the runs are in
# <clone>/experiments/runs. To commit a finished run, link the finished run directories (only
# those: no partial log is kept) into a folder and run, for each figure the run belongs to,
#   ./ma3c experiment experiments/<figure>.json --report-only --runs-dir <that folder>
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tree="${MA3C_CAMPAIGN_TREE:-$repo/../ma3c-campaign}"
if [ ! -d "$tree" ]; then
  # A clone, not a git worktree: git-commit-id-maven-plugin 9.0.2 stamps a build in a linked
  # worktree with the main checkout's HEAD (its issue 882), and each run records that stamp.
  git clone --quiet --no-checkout "$repo" "$tree"
  git -C "$tree" checkout --quiet --detach "$(git -C "$repo" rev-parse "${1:-HEAD}^{commit}")"
fi
commit="$(git -C "$tree" rev-parse HEAD)"
jar="$tree/learner/target/ma3c-learner.jar"
if [ ! -f "$jar" ]; then
  (cd "$tree" && mvn -B -q package -DskipTests -pl learner -am)
  # The kept logs committed since that commit too (the manifests are the same), taken after the
  # build so that its stamp stays clean: a fresh machine resuming an older build's campaign does
  # not train committed runs again.
  git -C "$tree" checkout "$(git -C "$repo" rev-parse HEAD)" -- experiments/results
fi
stamp="$(sed -n 's/^commit=//p' "$tree/cli/target/classes/ma3c/cli/version.properties")"
if [ "$stamp" != "$(git -C "$tree" rev-parse --short=7 HEAD)" ]; then
  echo "campaign.sh: the jar in $tree says it was built at '$stamp', not at $commit" >&2
  exit 1
fi
log="$tree/campaign.jsonl"
event() {
  printf '{"time":"%s","event":"%s","figure":"%s","seed":%s,"commit":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$2" "$3" "$commit" >>"$log"
}
for seed in 2 3 4 5; do
  for figure in fig4-pong-breakout fig4-spaceinvaders-phoenix fig5-pong-spaceinvaders; do
    if [ "$figure" = fig5-pong-spaceinvaders ] && [ "$seed" -gt 3 ]; then
      continue
    fi
    event start "$figure" "$seed"
    java --add-modules jdk.incubator.vector ${MA3C_JAVA_OPTS:--Xms2g -Xmx4g} -jar "$jar" \
      experiment "$tree/experiments/$figure.json" --seeds "$seed" \
      --runs-dir "$tree/experiments/runs" --results-dir "$tree/experiments/results"
    event end "$figure" "$seed"
  done
done
