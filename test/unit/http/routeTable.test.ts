import { generateKeyPairSync } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/graph/db.ts';
import { createApp } from '../../../src/http/app.ts';
import { API_DEFAULTS } from '../../../src/http/config.ts';
import { V1_ROUTES } from '../../../src/http/routes/table.ts';
import { ROLES } from '../../../src/keys/principal.ts';

describe('the routes table', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const app = createApp({
    db: {} as Db,
    config: { ...API_DEFAULTS, dataDir: '/nonexistent' },
    clock: () => new Date('2025-01-01T00:00:00Z'),
    logger: pino({ level: 'silent' }),
    signingKey: { privateKey, publicKeyPem: '', fingerprint: '' },
  });

  it('lists every /v1 route of /openapi.json, once, and no other', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const listed = V1_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    expect(documented.length).toBeGreaterThan(0);
    expect(listed).toEqual(documented);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('gives every route known roles, or says it is public', () => {
    for (const route of V1_ROUTES) {
      if (route.roles === 'public') continue;
      expect(route.roles.length, `${route.method} ${route.path}`).toBeGreaterThan(0);
      for (const role of route.roles) expect(ROLES).toContain(role);
    }
    expect(V1_ROUTES.find((r) => r.path === '/v1/transparency')?.roles).toBe('public');
    expect(V1_ROUTES.find((r) => r.method === 'POST' && r.path === '/v1/rings/{ringId}/closures')?.roles).toEqual(['analyst']);
  });

  it('is what the app serves: each listed route answers, a keyed one 401 without a key', async () => {
    for (const route of V1_ROUTES.filter((r) => r.roles !== 'public')) {
      const path = route.path.replace('{ringId}', 'R-AAAAAAAA').replace('{referralId}', 'RF-AAAAAAAAAA').replace('{brand}', 'Acme');
      const response = await app.request(path, { method: route.method });
      expect(response.status, `${route.method} ${path}`).toBe(401);
    }
  });
});
