import { createHash, createHmac } from 'node:crypto';
import { VERSION } from '../version.ts';
import type { AuditEvent } from '../audit/auditLog.ts';
import type { AuditCheckpoint } from '../audit/checkpoints.ts';
import type { Dossier, RingGraph } from '../dossier/schema.ts';
import { buildSignedBag } from './bagit.ts';
import type { SigningKey } from './signing.ts';

/** The facts of one referral that its package states. */
export interface ReferralFacts {
  referralId: string;
  ringId: string;
  agency: string;
  caseReference: string;
  createdAt: Date;
  /** The analyst key that made the referral. */
  referredBy: string;
}

export interface EvidenceInput {
  referral: ReferralFacts;
  dossier: Dossier;
  graph: RingGraph;
  auditExcerpt: AuditEvent[];
  /** The latest signed checkpoint of the audit chain, so the agency holds one the log must keep extending. */
  auditCheckpoint: AuditCheckpoint | null;
  signingKey: SigningKey;
}

/**
 * A stable stand-in for an API key id in what leaves the service: the agency sees that the same
 * principal acted twice, not which key (nor, through it, which brand or analyst). HMAC under a key
 * derived from the service's signing key, so only the operator can link a pseudonym to a key id.
 */
export function pseudonymiseKeyId(keyId: string, signingKey: SigningKey): string {
  const secret = createHash('sha256').update('ringwatch-pseudonym/1').update(signingKey.privateKey.export({ type: 'pkcs8', format: 'der' })).digest();
  return `principal-${createHmac('sha256', secret).update(keyId, 'utf8').digest('hex').slice(0, 16)}`;
}

/** Name of the package file and of the bag folder inside it. */
export const packageName = (referralId: string) => `ringwatch-referral-${referralId}`;

/**
 * The evidence package handed to an agency: the ring's full dossier as JSON, a readable HTML
 * summary, members and listings as CSV, the drawing's graph and the audit events about the ring,
 * as a BagIt bag signed with the service's key. Same inputs, same bytes.
 */
export function buildEvidencePackage(input: EvidenceInput): Uint8Array {
  const { dossier, graph, signingKey } = input;
  const referral = { ...input.referral, referredBy: pseudonymiseKeyId(input.referral.referredBy, signingKey) };
  const auditExcerpt = input.auditExcerpt.map((event) => ({ ...event, keyId: pseudonymiseKeyId(event.keyId, signingKey) }));
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return buildSignedBag({
    name: packageName(referral.referralId),
    createdAt: referral.createdAt,
    privateKey: signingKey.privateKey,
    publicKeyPem: signingKey.publicKeyPem,
    info: [
      ['Source-Organization', 'ringwatch'],
      ['Bagging-Date', referral.createdAt.toISOString().slice(0, 10)],
      ['External-Identifier', referral.referralId],
      ['External-Description', `Evidence on counterfeit-seller ring ${referral.ringId}, referred to ${referral.agency} under case ${referral.caseReference}`],
      ['Bag-Software-Agent', `ringwatch ${VERSION}`],
      ['Ringwatch-Ring-Id', referral.ringId],
      ['Ringwatch-Agency', referral.agency],
      ['Ringwatch-Case-Reference', referral.caseReference],
      ['Ringwatch-Referred-At', referral.createdAt.toISOString()],
      ['Ringwatch-Signing-Key-Fingerprint', signingKey.fingerprint],
    ],
    payload: {
      'dossier.json': json({ referral: { ...referral, createdAt: referral.createdAt.toISOString() }, dossier }),
      'summary.html': summaryHtml(referral, dossier),
      'members.csv': csv(
        ['sellerId', 'storeName', 'status', 'country', 'registeredAt', 'closedAt'],
        dossier.members.map((m) => [m.sellerId, m.storeName, m.status, m.country, m.registeredAt, m.closedAt]),
      ),
      'listings.csv': csv(
        ['listingId', 'sellerId', 'title', 'brand', 'category', 'price', 'currency', 'typicalPrice', 'verdict'],
        dossier.listings.map((l) => [l.listingId, l.sellerId, l.title, l.brand, l.category, l.price, l.currency, l.typicalPrice, l.verdict]),
      ),
      'graph.json': json(graph),
      'audit-excerpt.json': json({
        about:
          'events of the ringwatch audit log about this ring. Key ids are pseudonymised (the same principal, the same pseudonym); ' +
          "each hash is SHA-256 of the canonical JSON of the event as logged (with the real key id and its prevHash), so the operator can match the excerpt to the full log",
        events: auditExcerpt,
      }),
      'audit-checkpoint.json': json(
        input.auditCheckpoint ?? { about: 'the audit chain had no signed checkpoint when this package was made' },
      ),
    },
  });
}

/** CSV (RFC 4180); a text cell that a spreadsheet would run as a formula gets a leading quote mark. */
export function csv(header: string[], rows: unknown[][]): string {
  const cell = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header, ...rows].map((row) => `${row.map(cell).join(',')}\r\n`).join('');
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

function table(header: string[], rows: unknown[][]): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function summaryHtml(referral: ReferralFacts, d: Dossier): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ring ${escapeHtml(d.ringId)} — evidence summary</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}.meta td:first-child{font-weight:bold}</style>
</head><body>
<h1>Counterfeit-seller ring ${escapeHtml(d.ringId)}</h1>
<table class="meta">
<tr><td>Referral</td><td>${escapeHtml(referral.referralId)}</td></tr>
<tr><td>Agency</td><td>${escapeHtml(referral.agency)}</td></tr>
<tr><td>Case reference</td><td>${escapeHtml(referral.caseReference)}</td></tr>
<tr><td>Referred at</td><td>${escapeHtml(referral.createdAt.toISOString())}</td></tr>
<tr><td>Risk score</td><td>${escapeHtml(d.riskScore.toFixed(1))} / 100${d.flagged ? ' (flagged)' : ''}</td></tr>
<tr><td>Stores</td><td>${escapeHtml(d.members.length)}</td></tr>
<tr><td>Brands</td><td>${escapeHtml(d.brands.join(', '))}</td></tr>
<tr><td>First seen / last seen</td><td>${escapeHtml(d.firstSeen ?? '?')} / ${escapeHtml(d.lastSeen ?? '?')}</td></tr>
</table>
<h2>Why this ring scores as it does</h2>
${table(['factor', 'contribution', 'detail'], d.factors.map((f) => [f.name, f.contribution, f.detail]))}
<h2>Stores</h2>
${table(['seller', 'store name', 'status', 'country', 'registered', 'closed'], d.members.map((m) => [m.sellerId, m.storeName, m.status, m.country, m.registeredAt, m.closedAt]))}
<h2>Identifiers the stores share</h2>
${table(['kind', 'identifier', 'stores'], d.sharedIdentifiers.map((s) => [s.kind, s.key, s.sellerIds.join(', ')]))}
<h2>Shared hubs left out of the grouping</h2>
${table(['kind', 'identifier', 'stores on the marketplace'], d.ignoredHubs.map((h) => [h.kind, h.key, h.sellerCount]))}
<h2>Listings (${escapeHtml(d.listings.length)} of ${escapeHtml(d.listingCount)})</h2>
${table(['listing', 'seller', 'title', 'brand', 'price', 'typical price', 'currency', 'brand verdict'], d.listings.map((l) => [l.listingId, l.sellerId, l.title, l.brand, l.price, l.typicalPrice, l.currency, l.verdict]))}
<h2>History</h2>
${table(['when', 'event', 'run'], d.history.map((h) => [h.at, h.type, h.runId]))}
<h2>Closures</h2>
${table(['when', 'closure', 'stores'], d.closures.map((c) => [c.at, c.closureId, c.sellerIds.join(', ')]))}
<p>The files in data/ are listed with their SHA-256 in manifest-sha256.txt; the tag files in tagmanifest-sha256.txt,
which is signed (Ed25519) in signature.ed25519 by the key in signing-key.pub (fingerprint in bag-info.txt).
Check the package with <code>ringwatch verify FILE --public-key KEY.pem</code>.</p>
</body></html>
`;
}
