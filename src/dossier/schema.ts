import { z } from 'zod';
import { SHOWN_IDENTIFIER_KINDS } from '../vocabulary.ts';

/**
 * What a dossier and a ring's drawing hold: the shapes the dossier reader returns, the evidence
 * package carries and the API documents (`id` names their OpenAPI components).
 */

export const FactorSchema = z.object({ name: z.string(), contribution: z.number().nullable(), detail: z.string().nullable() }).meta({ id: 'RiskFactor' });

export const IdentifierKindSchema = z.enum(SHOWN_IDENTIFIER_KINDS);

/** What every view of a ring starts with: the list's items and the dossier alike. */
export const ringSummaryFields = {
  ringId: z.string(),
  riskScore: z.number(),
  flagged: z.boolean(),
  size: z.number().int().nullable(),
  brands: z.array(z.string()),
  status: z.string(),
};

export const DossierSchema = z
  .object({
    ...ringSummaryFields,
    active: z.boolean(),
    firstSeen: z.string().nullable(),
    lastSeen: z.string().nullable(),
    members: z.array(
      z.object({
        sellerId: z.string(),
        storeName: z.string().nullable(),
        status: z.string(),
        country: z.string().nullable(),
        registeredAt: z.string().nullable(),
        closedAt: z.string().nullable(),
      }),
    ),
    factors: z.array(FactorSchema),
    sharedIdentifiers: z.array(z.object({ kind: IdentifierKindSchema, key: z.string(), sellerIds: z.array(z.string()) })),
    ignoredHubs: z.array(z.object({ kind: IdentifierKindSchema, key: z.string(), sellerCount: z.number().int().nullable(), ringSellers: z.number().int().nullable() })),
    listings: z.array(
      z.object({
        listingId: z.string(),
        sellerId: z.string(),
        title: z.string().nullable(),
        brand: z.string().nullable(),
        category: z.string().nullable(),
        price: z.number().nullable(),
        currency: z.string().nullable(),
        typicalPrice: z.number().nullable(),
        verdict: z.string().nullable(),
      }),
    ),
    listingCount: z.number().int().meta({ description: 'all listings of the members this key may see; `listings` holds the first of them' }),
    history: z.array(z.object({ type: z.string(), runId: z.string().nullable(), at: z.string().nullable(), detail: z.unknown() })),
    closures: z.array(z.object({ closureId: z.string(), at: z.string(), sellerIds: z.array(z.string()), reason: z.string().optional() })),
    referrals: z
      .array(z.object({ referralId: z.string(), agency: z.string(), caseReference: z.string(), createdAt: z.string(), packageSha256: z.string() }))
      .optional()
      .meta({ description: 'analysts only' }),
    keysMasked: z.boolean().meta({ description: 'identifier keys show their last 4 characters only (brand keys)' }),
  })
  .meta({ id: 'Dossier' });

export type Dossier = z.infer<typeof DossierSchema>;

export const GraphSchema = z
  .object({
    nodes: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        kind: z.string(),
        status: z.string().optional(),
        riskScore: z.number().optional(),
        hub: z.boolean().optional(),
        sellerCount: z.number().int().nullable().optional(),
      }),
    ),
    edges: z.array(z.object({ source: z.string(), target: z.string(), type: z.string() })),
  })
  .meta({ id: 'RingGraph' });

export type RingGraph = z.infer<typeof GraphSchema>;
