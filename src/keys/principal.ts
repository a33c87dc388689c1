/** The roles an API key can have, and who a verified key stands for. */
// `screening` is a marketplace's onboarding service: it may screen applicants (POST /v1/screenings) and nothing else.
export const ROLES = ['analyst', 'brand', 'agency', 'admin', 'screening'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: an API key's id, role and, for brands and agencies, the scope it is limited to. */
export interface Principal {
  keyId: string;
  role: Role;
  name: string;
  /** As given when the key was made, and as the key compared case-insensitively. */
  brand: string | null;
  brandKey: string | null;
  agency: string | null;
  agencyKey: string | null;
}
