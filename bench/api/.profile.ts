// temporary (not committed): PROFILE the dossier statement on the kept 200k market
import { readFileSync } from 'node:fs';
import neo4j from 'neo4j-driver';
import { cypher } from '../../src/graph/cypher.ts';
import { CYPHER_VOCABULARY } from '../../src/vocabulary.ts';
const info = JSON.parse(readFileSync('/tmp/rw-200k.json', 'utf8'));
const driver = neo4j.driver(info.uri, neo4j.auth.basic(info.user, info.password));
const s = driver.session();
const stmt = process.argv[2] ? readFileSync(process.argv[2], 'utf8') : cypher('http/ring-dossier');
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await s.run('PROFILE ' + stmt, { vocabulary: CYPHER_VOCABULARY, ringId: info.ringIds[i * 7], brandKey: null, internal: true, limit: neo4j.int(500) });
  const ms = performance.now() - t;
  const plan = r.summary.profile as any;
  const walk = (p: any, d = 0): string[] => [`${' '.repeat(d)}${p.operatorType} rows=${p.rows} hits=${p.dbHits} ${(p.arguments?.Details ?? '').slice(0, 120)}`, ...p.children.flatMap((c: any) => walk(c, d + 1))];
  console.log(`run ${i}: ${ms.toFixed(1)} ms, total db hits ${JSON.stringify((function sum(p: any): number { return p.dbHits + p.children.reduce((a: number, c: any) => a + sum(c), 0); })(plan))}`);
  if (i === 2) console.log(walk(plan).filter((l) => !/hits=0 /.test(l) || true).join('\n'));
}
await s.close(); await driver.close();
