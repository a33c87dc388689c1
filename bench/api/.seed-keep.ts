// temporary (not committed): a 200k market kept running for PROFILE
import { readFileSync, writeFileSync } from 'node:fs';
import { Db, int } from '../../src/graph/db.ts';
import { startLocalNeo4j } from '../../src/graph/localNeo4j.ts';
import { migrate } from '../../src/graph/migrations.ts';
import { seedScreeningMarket } from '../support/screeningMarket.ts';
const info = await startLocalNeo4j({ home: '/tmp/rw-200k', heap: '2g', pageCache: '1g' });
const db = new Db({ uri: info.uri, user: info.user, password: info.password });
await migrate(db);
const { rings } = await seedScreeningMarket(db, 33000, 6);
const s = db.driver.session();
const seed = readFileSync(new URL('./seed.cypher', import.meta.url), 'utf8');
const b = ['Acme', 'Zeta', 'Nova'];
for (let i = 0; i < rings.length; i += 1000) await s.executeWrite((tx) => tx.run(seed, { rings: rings.slice(i, i + 1000).map((r, j) => ({ ringId: r.ringId, brand: b[(i + j) % 3] })), listingsPerSeller: int(5) }));
await s.run(readFileSync(new URL('./typical-prices.cypher', import.meta.url), 'utf8'));
await s.close();
writeFileSync('/tmp/rw-200k.json', JSON.stringify({ ...info, ringIds: rings.slice(0, 2000).map((r) => r.ringId) }));
await db.close();
console.log('ready');
