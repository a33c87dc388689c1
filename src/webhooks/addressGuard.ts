import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';

/**
 * The SSRF guard of webhooks (docs/live.md, "Webhooks"): a webhook URL may only reach public
 * unicast addresses, unless it was added with --allow-private (an on-premise receiver). Anything
 * else (loopback, private, link-local, unique-local, CGNAT, multicast, broadcast, unspecified,
 * reserved and documentation ranges, IPv6 forms that embed an IPv4 address such as 6to4 and
 * NAT64) could point the service at its own network. An allowlist, so that a range nobody thought
 * of is refused rather than reached. IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4
 * address it maps. The check runs when a webhook is added and again on every delivery, on the
 * very addresses the connection uses (`guardedLookup`), because DNS can change between the two.
 */

/** Resolves a host name to every address it has (as `dns.lookup` with `all: true`). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  unspecified: 'the unspecified address',
};

/** Why `address` must not be reached, or null when it is a public unicast address. */
export function addressRefusal(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  // `process` turns an IPv4-mapped IPv6 address into the IPv4 address it maps.
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return null;
  return `${address} is ${RANGE_WORDS[range] ?? `a ${range} address`}, not a public one`;
}

/** The host of a URL as an address or a name: `[::1]` without its brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') && url.hostname.endsWith(']') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Why `url`'s host must not be reached (a refused address, or a name that does not resolve), or null. */
export async function hostRefusal(url: URL, resolve: Resolver): Promise<string | null> {
  const host = hostOf(url);
  if (ipaddr.isValid(host)) return addressRefusal(host);
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    return `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})`;
  }
  if (addresses.length === 0) return `${host} does not resolve`;
  for (const { address } of addresses) {
    const refusal = addressRefusal(address);
    if (refusal !== null) return `${host} resolves to ${refusal}`;
  }
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request` that resolves through `resolve` and, unless `allowPrivate`, fails
 * the connection when any address of the host is refused: the addresses checked are the ones
 * connected to, so a name that answers a public address to the check and a private one to the
 * connection gets nowhere.
 */
export function connectionLookup(resolve: Resolver, allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const refused = allowPrivate ? undefined : addresses.map((a) => addressRefusal(a.address)).find((r) => r !== null);
        const first = addresses[0];
        if (!first || refused) {
          const error: NodeJS.ErrnoException = new Error(refused ? `${hostname} resolves to ${refused}` : `${hostname} does not resolve`);
          error.code = refused ? 'ERR_WEBHOOK_ADDRESS_REFUSED' : 'ENOTFOUND';
          callback(error, '');
        } else if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
