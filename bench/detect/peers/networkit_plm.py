"""
NetworKit PLM (parallel Louvain) on a ringwatch edge list, for bench/detect/peers.ts.

  python networkit_plm.py EDGES.bin --gamma G [--refine] [--threads T] [--seed S] [--labels-out FILE]

Times the graph load (file read + GraphFromCoo) and PLM.run() separately; prints one JSON line
{loadSeconds, communitySeconds, communities, modularity (γ = 1), qualityAtGamma, ...}.
"""
import argparse

import networkit as nk
import numpy as np

from common import now, peak_rss_kb, quality, read_edges, report

p = argparse.ArgumentParser()
p.add_argument("edges")
p.add_argument("--gamma", type=float, required=True)
p.add_argument("--refine", action="store_true")
p.add_argument("--threads", type=int, default=0, help="0 = NetworKit's default (all cores)")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--labels-out", help="write the partition here (int32 per node) for peers.ts to evaluate")
args = p.parse_args()

if args.threads:
    nk.setNumberOfThreads(args.threads)
nk.setSeed(args.seed, False)
nk.engineering.setLogLevel("ERROR")

t0 = now()
n, source, target, weight = read_edges(args.edges)
G = nk.GraphFromCoo((weight, (source, target)), n=n, weighted=True, directed=False)
t1 = now()
plm = nk.community.PLM(G, refine=args.refine, gamma=args.gamma)
plm.run()
t2 = now()
rss_kb = peak_rss_kb()
partition = plm.getPartition()  # keep it referenced: a temporary one crashed Modularity.getQuality
labels = np.asarray(partition.getVector(), dtype=np.int64)

if args.labels_out:
    labels.astype("<i4").tofile(args.labels_out)
q = quality(n, source, target, weight, labels, args.gamma)
q["modularityNetworKit"] = nk.community.Modularity().getQuality(partition, G)
report({
    "engine": f"networkit-plm{'-refine' if args.refine else ''}",
    "version": nk.__version__,
    "threads": nk.getMaxNumberOfThreads(),
    "nodes": G.numberOfNodes(),
    "edges": G.numberOfEdges(),
    "loadSeconds": t1 - t0,
    "communitySeconds": t2 - t1,
    "peakRssKiB": rss_kb,
    **q,
})
