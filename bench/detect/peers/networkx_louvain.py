"""
networkx louvain_communities (pure Python) on a ringwatch edge list, for bench/detect/peers.ts.

  python networkx_louvain.py EDGES.bin --gamma G [--seed S] [--labels-out FILE]

Times the graph load (file read + Graph) and louvain_communities separately; prints one JSON line
{loadSeconds, communitySeconds, communities, modularity (γ = 1), qualityAtGamma, ...}.
"""
import argparse

import networkx as nx
import numpy as np

from common import now, peak_rss_kb, quality, read_edges, report

p = argparse.ArgumentParser()
p.add_argument("edges")
p.add_argument("--gamma", type=float, required=True)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--labels-out", help="write the partition here (int32 per node) for peers.ts to evaluate")
args = p.parse_args()

t0 = now()
n, source, target, weight = read_edges(args.edges)
G = nx.Graph()
G.add_nodes_from(range(n))
G.add_weighted_edges_from(zip(source.tolist(), target.tolist(), weight.tolist()), weight="weight")
t1 = now()
parts = nx.community.louvain_communities(G, weight="weight", resolution=args.gamma, seed=args.seed)
t2 = now()
rss_kb = peak_rss_kb()
labels = np.empty(n, dtype=np.int64)
for c, members in enumerate(parts):
    labels[list(members)] = c

if args.labels_out:
    labels.astype("<i4").tofile(args.labels_out)
q = quality(n, source, target, weight, labels, args.gamma)
report({
    "engine": "networkx-louvain",
    "version": nx.__version__,
    "threads": 1,
    "nodes": G.number_of_nodes(),
    "edges": G.number_of_edges(),
    "loadSeconds": t1 - t0,
    "communitySeconds": t2 - t1,
    "peakRssKiB": rss_kb,
    **q,
})
