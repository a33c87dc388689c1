/**
 * Screening before a store opens (docs/live.md, "Screening"): a marketplace's onboarding service
 * sends an applicant's identifiers; they are normalised exactly as ingest normalises them (the same
 * functions: src/ingest/normalise/), looked up against the identifier nodes in one read
 * transaction (cypher/screenings/lookup.cypher), and answered with a decision and the rings they
 * belong to. Nothing is written but the audit event, which carries counts, the decision and ring
 * ids, never an identifier.
 */
import type { AuditActor } from '../audit/auditLog.ts';
import type { AuditRecorder } from '../audit/groupCommit.ts';
import { compareStrings } from '../analysis/order.ts';
import { RingwatchError } from '../errors.ts';
import type { Db, Row, TxMeta } from '../graph/db.ts';
import { normaliseAccountId } from '../ingest/normalise/account.ts';
import { addressKey, type AddressParts } from '../ingest/normalise/address.ts';
import { carrierAccountKey, phoneKey } from '../ingest/normalise/identifierKeys.ts';
import { CYPHER_VOCABULARY, KIND_OF_LABEL, LABEL_OF_KIND, IDENTIFIER_KINDS, type IdentifierKind, type RingStatus, type ScreeningDecision } from '../vocabulary.ts';

/**
 * Most entries of each list a screening takes. An applicant has a handful of each; 100 leaves
 * room for a marketplace that sends every account a seller ever named, and keeps the lookup (at
 * most 400 index seeks) in the milliseconds it must take in the path of every registration.
 */
export const SCREENING_LIST_LIMIT = 100;

/** The applicant's identifiers, as the onboarding form took them. */
export interface ScreeningRequest {
  /** ISO 3166-1 alpha-2: the region a phone written without a country code is read in. */
  country?: string | undefined;
  paymentAccounts?: readonly string[] | undefined;
  phones?: readonly string[] | undefined;
  addresses?: readonly AddressParts[] | undefined;
  carrierAccounts?: readonly { carrier: string; account: string }[] | undefined;
  /** Accepted and counted, never matched: ringwatch links no stores by email (docs/ingest.md). */
  email?: string | undefined;
}

/** The kinds a screening looks up, and what it calls each request list. */
const SCREENED_KINDS = ['paymentAccount', 'phone', 'carrierAccount', 'address'] as const satisfies readonly IdentifierKind[];
type ScreenedKind = (typeof SCREENED_KINDS)[number];

/** Normalised keys per kind, each list without repeats. */
export type ScreeningKeys = Record<ScreenedKind, string[]>;

/** A request entry that ingest could not have made a node of, by its place in the request. */
export interface IdentifierFault {
  path: (string | number)[];
  message: string;
}

/**
 * The node keys of the request's identifiers, made by ingest's own normalisers, and the entries
 * that give none (an account with no letter or digit, a phone with fewer than six digits).
 * Messages name the entry by its place, never by its value.
 */
export function screeningKeys(request: ScreeningRequest): { keys: ScreeningKeys; faults: IdentifierFault[] } {
  const faults: IdentifierFault[] = [];
  const keys: Record<ScreenedKind, Set<string>> = { paymentAccount: new Set(), phone: new Set(), carrierAccount: new Set(), address: new Set() };
  (request.paymentAccounts ?? []).forEach((raw, i) => {
    const key = normaliseAccountId(raw);
    if (key === null) faults.push({ path: ['paymentAccounts', i], message: 'must contain letters or digits' });
    else keys.paymentAccount.add(key);
  });
  (request.phones ?? []).forEach((raw, i) => {
    // Ingest reads a seller's phone in the seller's country; the applicant's country is that.
    const key = phoneKey(raw, request.country).phoneKey;
    if (key === null) faults.push({ path: ['phones', i], message: 'is not a phone number (fewer than six digits)' });
    else keys.phone.add(key);
  });
  (request.carrierAccounts ?? []).forEach(({ carrier, account }, i) => {
    const key = carrierAccountKey(carrier, account);
    if (key === null) faults.push({ path: ['carrierAccounts', i, 'account'], message: 'must contain letters or digits' });
    else keys.carrierAccount.add(key);
  });
  for (const address of request.addresses ?? []) keys.address.add(addressKey(address));
  const lists = Object.fromEntries(SCREENED_KINDS.map((kind) => [kind, [...keys[kind]].sort(compareStrings)])) as ScreeningKeys;
  return { keys: lists, faults };
}

/** How many identifiers of each list a request holds (what the audit event records). */
export function identifierCounts(request: ScreeningRequest): { paymentAccounts: number; phones: number; addresses: number; carrierAccounts: number; email: number } {
  return {
    paymentAccounts: request.paymentAccounts?.length ?? 0,
    phones: request.phones?.length ?? 0,
    addresses: request.addresses?.length ?? 0,
    carrierAccounts: request.carrierAccounts?.length ?? 0,
    email: request.email === undefined ? 0 : 1,
  };
}

/** True when the request names at least one identifier a store can be matched by (email is none). */
export function hasMatchableIdentifier(request: ScreeningRequest): boolean {
  const counts = identifierCounts(request);
  return counts.paymentAccounts + counts.phones + counts.addresses + counts.carrierAccounts > 0;
}

/** One ring (or, with `ringId` null, the closed stores that are in no ring) the applicant's identifiers lead to. */
export interface ScreeningMatch {
  ringId: string | null;
  status: RingStatus;
  riskScore: number | null;
  flagged: boolean;
  /** What this match alone decides. */
  decision: ScreeningDecision;
  /** Per kind, the ring's stores that carry a matched identifier of that kind. */
  matchedOn: { kind: IdentifierKind; sellerIds: string[] }[];
}

export interface ScreeningOutcome {
  decision: ScreeningDecision;
  matches: ScreeningMatch[];
}

/** One row of cypher/screenings/lookup.cypher: a matched identifier's label and a store that carries it. */
export interface LookupRow {
  labels: string[];
  sellerId: string;
  storeClosed: boolean;
  ringId: string | null;
  ringStatus: string;
  riskScore: number | null;
  flagged: boolean;
}

const SEVERITY: Record<ScreeningDecision, number> = { block: 2, review: 1, allow: 0 };

/**
 * The decision on the looked-up rows (docs/live.md, "Screening"): `block` when a matched store is
 * closed or its ring is, `review` when its ring is flagged and not closed (open or referred),
 * `allow` otherwise. A matched store in no ring counts only when it is closed: a store ringwatch
 * closed is a closed counterfeiter's store whether or not a later run still finds it a ring, so
 * it blocks (match with `ringId` null); an open store in no ring says nothing.
 */
export function decideScreening(rows: readonly LookupRow[]): ScreeningOutcome {
  const groups = new Map<string, LookupRow[]>();
  for (const row of rows) {
    if (row.ringId === null && !row.storeClosed) continue;
    const group = groups.get(row.ringId ?? '') ?? [];
    group.push(row);
    groups.set(row.ringId ?? '', group);
  }
  const matches: ScreeningMatch[] = [];
  for (const group of groups.values()) {
    const first = group[0] as LookupRow;
    const ringId = first.ringId;
    const ringClosed = ringId === null || first.ringStatus === CYPHER_VOCABULARY.ringStatus.closed;
    const flagged = ringId !== null && first.flagged;
    const decision: ScreeningDecision = ringClosed || group.some((row) => row.storeClosed) ? 'block' : flagged ? 'review' : 'allow';
    matches.push({
      ringId,
      status: ringId === null ? CYPHER_VOCABULARY.ringStatus.closed : (first.ringStatus as RingStatus),
      riskScore: ringId === null ? null : first.riskScore,
      flagged,
      decision,
      matchedOn: matchedOn(group),
    });
  }
  matches.sort((a, b) => SEVERITY[b.decision] - SEVERITY[a.decision] || (b.riskScore ?? -1) - (a.riskScore ?? -1) || compareStrings(a.ringId ?? '', b.ringId ?? ''));
  const decision = matches[0]?.decision ?? 'allow';
  return { decision, matches };
}

function matchedOn(group: readonly LookupRow[]): ScreeningMatch['matchedOn'] {
  const byKind = new Map<IdentifierKind, Set<string>>();
  for (const row of group) {
    const label = row.labels.find((l) => KIND_OF_LABEL[l] !== undefined);
    if (label === undefined) continue;
    const kind = KIND_OF_LABEL[label] as IdentifierKind;
    const sellers = byKind.get(kind) ?? new Set<string>();
    sellers.add(row.sellerId);
    byKind.set(kind, sellers);
  }
  return IDENTIFIER_KINDS.filter((kind) => byKind.has(kind)).map((kind) => ({ kind, sellerIds: [...(byKind.get(kind) as Set<string>)].sort(compareStrings) }));
}

interface ScreeningContext {
  db: Db;
  /** Where the screening's audit event goes (the service group-commits them). */
  audit: AuditRecorder;
  actor: AuditActor;
  at: Date;
  meta: TxMeta;
}

/** The audit action of a screening. */
export const SCREENING_AUDIT_ACTION = 'screening.check';
/** The audit target of every screening: the applicant has no id of ringwatch's, and its identifiers are personal data. */
export const SCREENING_AUDIT_TARGET = 'screening';

/**
 * Screens an applicant: normalises, looks up in one read transaction, decides, and records the
 * audit event (counts, decision and ring ids only) before answering. Refuses with INPUT_INVALID
 * a request with no identifier to match or one ingest could not have keyed (the HTTP schema
 * refuses both first, naming the fields).
 */
export async function screenApplicant({ db, audit, actor, at, meta }: ScreeningContext, request: ScreeningRequest): Promise<ScreeningOutcome> {
  const { keys, faults } = screeningKeys(request);
  if (faults.length > 0) throw new RingwatchError('INPUT_INVALID', `${faults.length} identifiers cannot be read: ${faults.map((f) => f.path.join('.')).join(', ')}`);
  if (!hasMatchableIdentifier(request)) throw new RingwatchError('INPUT_INVALID', 'send at least one of paymentAccounts, phones, addresses, carrierAccounts');
  const rows = await db.read('screenings/lookup', lookupParameters(keys), meta);
  const outcome = decideScreening(rows.map(lookupRow));
  const ringIds = outcome.matches.flatMap((m) => (m.ringId === null ? [] : [m.ringId]));
  await audit.record({
    ...actor,
    action: SCREENING_AUDIT_ACTION,
    target: SCREENING_AUDIT_TARGET,
    detail: { decision: outcome.decision, identifiers: identifierCounts(request), matches: outcome.matches.length, ringIds },
  }, at);
  return outcome;
}

/** The parameters of cypher/screenings/lookup.cypher: the keys of each kind under its node label. */
export function lookupParameters(keys: ScreeningKeys): { keys: Record<string, string[]> } {
  return { keys: Object.fromEntries(SCREENED_KINDS.map((kind) => [LABEL_OF_KIND[kind], keys[kind]])) };
}

function lookupRow(row: Row): LookupRow {
  return {
    labels: (row.labels as string[] | null) ?? [],
    sellerId: String(row.sellerId),
    storeClosed: row.storeClosed === true,
    ringId: row.ringId === null || row.ringId === undefined ? null : String(row.ringId),
    ringStatus: String(row.ringStatus),
    riskScore: typeof row.riskScore === 'number' ? row.riskScore : null,
    flagged: row.flagged === true,
  };
}
