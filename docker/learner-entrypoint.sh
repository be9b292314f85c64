#!/bin/sh
# Runs the learner as the owner of /runs, so the files it writes on the host belong to whoever
# owns the mounted directory. A root-owned /runs (Docker creates a missing bind-mount source as
# root) is handed to the image's ma3c user first: the JVM never runs as root.
set -eu
if [ "$(id -u)" = 0 ]; then
  mkdir -p /runs
  if [ "$(stat -c %u /runs)" = 0 ]; then
    chown ma3c:ma3c /runs
  fi
  exec setpriv --reuid="$(stat -c %u /runs)" --regid="$(stat -c %g /runs)" --clear-groups \
    "$0" "$@"
fi
# The engine's SIMD kernels use Java 17's incubating Vector API (model/).
# shellcheck disable=SC2086 # MA3C_JAVA_OPTS holds several options
exec java --add-modules jdk.incubator.vector $MA3C_JAVA_OPTS -jar /opt/ma3c/ma3c-learner.jar "$@"
