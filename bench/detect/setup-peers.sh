#!/usr/bin/env bash
# Creates bench/.venv (git-ignored) with the community-detection peers of bench/detect/peers.ts
# (NetworKit, igraph, networkx), pinned in bench/detect/requirements.txt. Idempotent.
#
#   bash bench/detect/setup-peers.sh [python3.11]
#
# igraph's Python interface is the `igraph` package on PyPI (`python-igraph` is its old name and
# now only an alias that depends on it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/../.venv"
python="${1:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
"$venv/bin/python" - <<'PY'
import igraph, networkit, networkx, numpy, scipy
print(f"peers ready: networkit {networkit.__version__}, igraph {igraph.__version__}, networkx {networkx.__version__}, numpy {numpy.__version__}, scipy {scipy.__version__}")
PY
