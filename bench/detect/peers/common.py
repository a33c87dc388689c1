"""
Shared by the peer scripts of bench/detect/peers.ts: reading the edge list that peers.ts exports,
and the quality numbers every engine is judged by, computed the same way for all of them (and the
same way as ringwatch's `computeModularity` in src/analysis/communities.ts).

Edge list format (little-endian), written by bench/detect/peers.ts:
  8 bytes  magic b"RWEDGES1"
  int64    n   number of nodes (sellers; isolated ones included)
  int64    m   number of edges
  int32[m] source node index   (source < target, no self-loops, no duplicate pairs)
  int32[m] target node index
  float64[m] weight (> 0)
"""
import json
import resource
import sys
import time

import numpy as np

MAGIC = b"RWEDGES1"


def read_edges(path):
    """(n, source, target, weight) as numpy arrays; the arrays are views of one buffer read at once."""
    with open(path, "rb") as f:
        buf = f.read()
    if buf[:8] != MAGIC:
        raise SystemExit(f"{path}: not a ringwatch edge list (magic {buf[:8]!r})")
    n, m = np.frombuffer(buf, dtype="<i8", count=2, offset=8)
    n, m = int(n), int(m)
    off = 24
    source = np.frombuffer(buf, dtype="<i4", count=m, offset=off)
    target = np.frombuffer(buf, dtype="<i4", count=m, offset=off + 4 * m)
    weight = np.frombuffer(buf, dtype="<f8", count=m, offset=off + 8 * m)
    return n, source, target, weight


def quality(n, source, target, weight, labels, gamma):
    """
    Quality of a partition (labels: one int per node), not timed:
    - modularity: Newman–Girvan modularity at γ = 1, Σ_C [L_C/m − (D_C/2m)²];
    - qualityAtGamma: the objective Louvain maximised, Σ_C [L_C/m − γ (D_C/2m)²];
    - communities (≥ 2 nodes), communitiesTotal (singletons included), largestCommunity;
    - disconnectedCommunities: communities that are not connected by their own internal edges.
    """
    labels = np.asarray(labels, dtype=np.int64)
    _, dense = np.unique(labels, return_inverse=True)
    k = int(dense.max()) + 1 if n else 0
    m = float(weight.sum())
    strength = np.bincount(source, weights=weight, minlength=n) + np.bincount(target, weights=weight, minlength=n)
    ls, lt = dense[source], dense[target]
    inside = ls == lt
    internal = np.bincount(ls[inside], weights=weight[inside], minlength=k)
    total = np.bincount(dense, weights=strength, minlength=k)
    share2 = float(((total / (2 * m)) ** 2).sum()) if m else 0.0
    lm = float(internal.sum() / m) if m else 0.0
    sizes = np.bincount(dense, minlength=k)

    # Connected parts of each community, over its internal edges only.
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    a = coo_matrix((np.ones(int(inside.sum())), (source[inside], target[inside])), shape=(n, n))
    parts, part_of = connected_components(a, directed=False)
    pairs = np.unique(dense.astype(np.int64) * parts + part_of)  # distinct (community, part)
    parts_per_community = np.bincount(pairs // parts, minlength=k)
    return {
        "modularity": lm - share2 if m else 0.0,
        "qualityAtGamma": lm - gamma * share2 if m else 0.0,
        "communities": int((sizes >= 2).sum()),
        "communitiesTotal": k,
        "largestCommunity": int(sizes.max()) if k else 0,
        "disconnectedCommunities": int((parts_per_community > 1).sum()),
    }


def report(result):
    """Prints the one JSON line peers.ts reads (last line of stdout)."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


now = time.perf_counter


def peak_rss_kb():
    """This process's peak RSS so far, in KiB (Linux ru_maxrss): taken right after the community step,
    so that the quality computation that follows does not count against the engine."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
