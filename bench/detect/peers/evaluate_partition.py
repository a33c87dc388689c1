"""
Quality of a partition computed elsewhere (ringwatch's final rings, written by bench/detect/peers.ts
as int32 labels, one per node), by the same code that judges the peers (common.quality), and by
NetworKit's Modularity: a cross-check that ringwatch's `modularity` means the same as the peers'.

  python evaluate_partition.py EDGES.bin LABELS.bin --gamma G
"""
import argparse

import networkit as nk
import numpy as np

from common import quality, read_edges, report

p = argparse.ArgumentParser()
p.add_argument("edges")
p.add_argument("labels")
p.add_argument("--gamma", type=float, required=True)
args = p.parse_args()

n, source, target, weight = read_edges(args.edges)
labels = np.fromfile(args.labels, dtype="<i4").astype(np.int64)
if labels.shape[0] != n:
    raise SystemExit(f"{args.labels}: {labels.shape[0]} labels for {n} nodes")
q = quality(n, source, target, weight, labels, args.gamma)
nk.engineering.setLogLevel("ERROR")
G = nk.GraphFromCoo((weight, (source, target)), n=n, weighted=True, directed=False)
partition = nk.structures.Partition(n)
partition.setUpperBound(int(labels.max()) + 1 if n else 0)
for node, label in enumerate(labels.tolist()):
    partition[node] = label
q["modularityNetworKit"] = nk.community.Modularity().getQuality(partition, G)
report({"engine": "evaluate", **q})
