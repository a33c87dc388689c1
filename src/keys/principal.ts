/** The roles an API key can have, and who a verified key stands for. */
export const ROLES = ['analyst', 'brand', 'agency', 'admin'] as const;
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
