import { CLOSED_STORE_STATUS, IDENTIFIER_KIND_PHRASES, type IdentifierKind } from '../vocabulary.ts';

/**
 * Colours and words of the drawing, one place for the graph and its legend. Identifier colours
 * are Tableau 10's (distinct for the common kinds of colour blindness); stores are warm, a closed
 * store grey, so the eye goes to what is still open.
 */

export const KIND_COLOURS: Readonly<Record<string, string>> = {
  paymentAccount: '#4e79a7',
  phone: '#59a14f',
  carrierAccount: '#f28e2b',
  address: '#b07aa1',
  imageHash: '#9c755f',
  origin: '#76b7b2',
  other: '#bab0ac',
};

export const STORE_COLOURS: Readonly<Record<string, string>> = {
  active: '#e15759',
  [CLOSED_STORE_STATUS]: '#6b6b6b',
  other: '#edc948',
};

/** A hub left out of detection: pale, so that it reads as context, not as the ring's evidence. */
export const HUB_COLOUR = '#d9d9d9';

export const storeColour = (status: string): string => STORE_COLOURS[status] ?? STORE_COLOURS.other!;
export const kindColour = (kind: string): string => KIND_COLOURS[kind] ?? KIND_COLOURS.other!;

/** "payment account", "sender phone", …: the words the dossier's sentences use. */
export function kindPhrase(kind: string): string {
  return (IDENTIFIER_KIND_PHRASES as Record<string, string>)[kind as IdentifierKind] ?? kind;
}

/** `colour` mixed with white (`amount` 0 to 1): a node out of focus keeps its hue, so its kind still reads. */
export function faded(colour: string, amount = 0.72): string {
  const rgb = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!rgb) return colour;
  const mix = (hex: string) => Math.round(parseInt(hex, 16) + (255 - parseInt(hex, 16)) * amount).toString(16).padStart(2, '0');
  return `#${mix(rgb[1]!)}${mix(rgb[2]!)}${mix(rgb[3]!)}`;
}
