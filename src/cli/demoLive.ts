/**
 * The live loop, shown by `ringwatch demo` after its first detection (docs/live.md): the
 * riskiest ring is closed, two of its stores reopen under variants of their identifiers, the
 * incremental detection puts them back into the closed ring and raises a recidivism alert, and a
 * screening of a third would-be store under the same account is blocked.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeRingStores } from '../actions/closures.ts';
import { listAlerts } from '../alerts/alertReads.ts';
import { runDetection, type DetectionSummary } from '../analysis/runDetection.ts';
import type { AuditActor } from '../audit/auditLog.ts';
import type { Db } from '../graph/db.ts';
import { Neo4jDetectionStore } from '../graph/detectionStore.ts';
import { ingestDirectory } from '../ingest/load.ts';
import { normaliseAccountId } from '../ingest/normalise/account.ts';
import type { RecordKind } from '../ingest/records.ts';
import { screenApplicant } from '../screening/screening.ts';
import { AuditGroupCommit } from '../audit/groupCommit.ts';
import { say } from './context.ts';

type Rec = Record<string, unknown>;

/** The demo acts as an analyst would through the API, audited under this actor. */
const DEMO_ACTOR = (what: string): AuditActor => ({ keyId: 'demo', role: 'analyst', requestId: `demo-${what}-${randomUUID()}` });

export async function showLiveLoop(db: Db, options: { marketDir: string; summary: DetectionSummary; seed: number }): Promise<void> {
  const top = [...options.summary.rings].filter((r) => r.score.flagged).sort((a, b) => b.score.riskScore - a.score.riskScore)[0];
  if (!top) return;
  const market = (kind: RecordKind): Rec[] =>
    readFileSync(join(options.marketDir, `${kind}.ndjson`), 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Rec);
  const members = new Set(top.sellerIds);
  const accounts = market('payment_accounts').filter((r) => members.has(String(r.seller_id)));
  const shipments = market('shipping_links').filter((r) => members.has(String(r.seller_id)) && r.sender_phone);
  const sellers = new Map(market('sellers').filter((r) => members.has(String(r.seller_id))).map((r) => [String(r.seller_id), r]));
  // Two stores with an account and a sender phone: they will reopen.
  const reopening = top.sellerIds.filter((id) => accounts.some((a) => a.seller_id === id) && shipments.some((s) => s.seller_id === id)).slice(0, 2);
  if (reopening.length === 0) return;

  say(`\nthe live loop, on the riskiest ring ${top.ringId} (${top.sellerIds.length} stores):`);
  const closure = await closeRingStores(
    { db, actor: DEMO_ACTOR('closure'), at: new Date(), meta: { app: 'cli:demo' } },
    { ringId: top.ringId, dryRun: false, reason: 'demo: counterfeit ring', idempotencyKey: `demo-close-${top.ringId}` },
  );
  say(`  closed ${closure.sellerIds.length} stores (ring status ${closure.status}${closure.kind === 'closed' && closure.replayed ? ', closed on an earlier demo run' : ''})`);

  // The reopened stores: new ids and names, the closed stores' account and phone written another way.
  const delta: Record<RecordKind, Rec[]> = { sellers: [], listings: [], payment_accounts: [], addresses: [], shipping_links: [] };
  for (const closed of reopening) {
    const id = `${closed}-NEW`;
    const account = accounts.find((a) => a.seller_id === closed)!;
    const shipment = shipments.find((s) => s.seller_id === closed)!;
    delta.sellers.push({ seller_id: id, store_name: `${String(sellers.get(closed)?.store_name ?? 'Store')} Outlet`, country: sellers.get(closed)?.country, registered_at: new Date().toISOString() });
    delta.payment_accounts.push({ seller_id: id, account_id: variantOfAccount(String(account.account_id)), kind: account.kind });
    delta.shipping_links.push({ seller_id: id, shipment_id: `${id}-1`, carrier: shipment.carrier, sender_phone: String(shipment.sender_phone).replace(/[\s-]+/g, '.') });
  }
  const deltaDir = join(options.marketDir, '..', `reopened-${top.ringId}`);
  mkdirSync(deltaDir, { recursive: true });
  for (const [kind, records] of Object.entries(delta)) writeFileSync(join(deltaDir, `${kind}.ndjson`), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  await ingestDirectory(db, deltaDir, { rejectsFile: join(deltaDir, 'rejects.ndjson') });
  say(`  ${reopening.length} of its stores reopened as ${delta.sellers.map((s) => s.seller_id).join(' and ')}, under the same account and phone typed another way`);

  // Only this run's alerts: the first full run raised recidivism alerts of its own, for stores
  // that joined rings holding stores the marketplace had closed before ringwatch saw them.
  const raisedFrom = new Date().toISOString();
  const run = await runDetection(new Neo4jDetectionStore(db), { communities: { seed: options.seed } });
  say(`  ringwatch detect: ${run.run.mode} (${run.run.counts.changedSellers ?? '-'} changed sellers, ${run.run.counts.sellersReclustered} re-clustered, ${run.run.timings.writeBackMs} ms to write back)`);
  const { items } = await listAlerts(db, { brandKey: null, agencyKey: null, maskKeys: false }, { kinds: ['recidivism'], since: raisedFrom, sort: 'newest', limit: 5, after: null }, { app: 'cli:demo' });
  for (const alert of items.filter((a) => a.ringId === top.ringId)) {
    say(`  ALERT ${alert.kind} ${alert.alertId} on ${alert.ringId} (status ${alert.ring.status}, risk ${alert.ring.riskScore}): stores ${alert.sellerIds.join(', ')}`);
    for (const e of alert.evidence) say(`    tied by ${e.kind} shared with ${e.sellerIds.filter((id) => !alert.sellerIds.includes(id)).join(', ')}`);
  }

  // A third store applies under the same account, written yet another way.
  const applicantAccount = String(accounts.find((a) => a.seller_id === reopening[0])!.account_id).toUpperCase().replace(/[^0-9A-Z]/g, ' ');
  const screening = await screenApplicant({ db, audit: new AuditGroupCommit(db), actor: DEMO_ACTOR('screening'), at: new Date(), meta: { app: 'cli:demo' } }, { paymentAccounts: [applicantAccount] });
  say(`  POST /v1/screenings for a new applicant with that account: ${screening.decision.toUpperCase()}`);
  for (const match of screening.matches) say(`    ${match.ringId ?? '(no ring)'} ${match.status}: ${match.matchedOn.map((m) => `${m.kind} of ${m.sellerIds.length} stores`).join(', ')}`);
}

/** The account as another person would type it: lower case, in groups of four with dashes. */
function variantOfAccount(raw: string): string {
  return (normaliseAccountId(raw) ?? raw).toLowerCase().replace(/(.{4})(?=.)/g, '$1-');
}
