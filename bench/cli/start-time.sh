#!/usr/bin/env bash
# Wall time of `ringwatch` commands that do no database work, against node's own start (the peer:
# the floor no CLI on this Node can go under), each run RUNS times in turn:
#
#   bash bench/cli/start-time.sh [RUNS]        (default 10)
#
# Prints one line per command: median, min and max wall seconds, and the median's ratio to bare node.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}

median_of() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f %.3f %.3f\n", m, a[1], a[NR] }'; }

time_runs() {
  for _ in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    echo "scale=3; ($end - $start) / 1000000000" | bc
  done | median_of
}

read -r peer_med peer_min peer_max < <(time_runs node -e '')
printf '%-45s median %s s  min %s s  max %s s\n' "node -e ''" "$peer_med" "$peer_min" "$peer_max"
for args in "--help" "--version" "keys --help" "verify /nonexistent"; do
  # shellcheck disable=SC2086
  read -r med min max < <(time_runs node bin/ringwatch.js $args)
  ratio=$(echo "scale=1; $med / $peer_med" | bc)
  printf '%-45s median %s s  min %s s  max %s s  (%s× node)\n' "node bin/ringwatch.js $args" "$med" "$min" "$max" "$ratio"
done
