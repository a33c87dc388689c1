"""
igraph community_multilevel (Louvain, C core) on a ringwatch edge list, for bench/detect/peers.ts.

  python igraph_multilevel.py EDGES.bin --gamma G [--seed S] [--labels-out FILE]

Times the graph load (file read + Graph + weights) and community_multilevel separately; prints one
JSON line {loadSeconds, communitySeconds, communities, modularity (γ = 1), qualityAtGamma, ...}.
"""
import argparse
import random

import igraph as ig
import numpy as np

from common import now, peak_rss_kb, quality, read_edges, report

p = argparse.ArgumentParser()
p.add_argument("edges")
p.add_argument("--gamma", type=float, required=True)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--labels-out", help="write the partition here (int32 per node) for peers.ts to evaluate")
args = p.parse_args()

random.seed(args.seed)  # python-igraph draws from Python's `random` by default

t0 = now()
n, source, target, weight = read_edges(args.edges)
g = ig.Graph(n=n, edges=np.column_stack((source, target)), directed=False)
g.es["weight"] = weight.tolist()
t1 = now()
clustering = g.community_multilevel(weights="weight", resolution=args.gamma)
t2 = now()
rss_kb = peak_rss_kb()
labels = np.asarray(clustering.membership, dtype=np.int64)

if args.labels_out:
    labels.astype("<i4").tofile(args.labels_out)
q = quality(n, source, target, weight, labels, args.gamma)
q["modularityIgraph"] = g.modularity(clustering.membership, weights="weight", resolution=1)
report({
    "engine": "igraph-multilevel",
    "version": ig.__version__,
    "threads": 1,
    "nodes": g.vcount(),
    "edges": g.ecount(),
    "loadSeconds": t1 - t0,
    "communitySeconds": t2 - t1,
    "peakRssKiB": rss_kb,
    **q,
})
