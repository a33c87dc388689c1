import { Command, Option } from 'commander';
import { RingwatchError } from '../errors.ts';
import { loadDataDir } from '../config.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../keys/apiKeys.ts';
import { ROLES, type Role } from '../keys/principal.ts';

/** The role column of `keys list` is as wide as the longest role (`screening`). */
const ROLE_WIDTH = Math.max(...ROLES.map((role) => role.length));
import { loadOrCreateSigningKey } from '../evidence/signing.ts';
import { printJson, say, withDb } from './context.ts';

/** `ringwatch keys create|list|revoke|signing-key`: API keys and the package signing key. */
export function keysCommand(): Command {
  const keys = new Command('keys').description('API keys (stored hashed in Neo4j) and the evidence-package signing key');
  const clock = () => new Date();

  keys
    .command('create')
    .description('make an API key; its token is printed once and never stored')
    .addOption(new Option('--role <role>', 'what the key may do').choices(ROLES).makeOptionMandatory())
    .option('--brand <brand>', 'the brand a brand key speaks for')
    .option('--agency <agency>', 'the agency an agency key belongs to')
    .requiredOption('--name <name>', 'who holds the key (shown by keys list)')
    .option('--json', 'print {keyId, token, role} as JSON')
    .action(async (opts: { role: Role; brand?: string; agency?: string; name: string; json?: boolean }) => {
      const key = await withDb('cli:keys-create', ({ db }) => createApiKey(db, { role: opts.role, name: opts.name, brand: opts.brand, agency: opts.agency }, clock), { quiet: opts.json });
      if (opts.json) printJson({ keyId: key.keyId, token: key.token, role: key.role });
      else {
        say(`created ${key.role} key ${key.keyId}${key.brand ? ` for brand ${key.brand}` : ''}${key.agency ? ` for agency ${key.agency}` : ''}`);
        say('its token follows; it is shown this once and cannot be recovered:');
        process.stdout.write(`${key.token}\n`);
      }
    });

  keys
    .command('list')
    .description('every key with its role, scope and state (never a token)')
    .option('--json', 'print the keys as JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withDb('cli:keys-list', ({ db }) => listApiKeys(db), { quiet: opts.json });
      if (opts.json) printJson(list);
      else if (list.length === 0) say('no API keys yet: ringwatch keys create --role analyst --name NAME');
      else {
        for (const k of list) {
          const scope = k.brand ? ` brand=${k.brand}` : k.agency ? ` agency=${k.agency}` : '';
          process.stdout.write(`${k.keyId}  ${k.role.padEnd(ROLE_WIDTH)}${scope}  "${k.name}"  created ${k.createdAt}${k.revokedAt ? `  REVOKED ${k.revokedAt}` : ''}\n`);
        }
      }
    });

  keys
    .command('revoke')
    .description('revoke a key: the next request with it is refused')
    .argument('<keyId>', 'the key id (the part after rw_ in its token)')
    .option('--json', 'print the result as JSON')
    .action(async (keyId: string, opts: { json?: boolean }) => {
      if (!/^[a-z2-7]{12}$/.test(keyId)) throw new RingwatchError('INPUT_INVALID', `not a key id: ${keyId}`);
      const result = await withDb('cli:keys-revoke', ({ db }) => revokeApiKey(db, keyId, clock), { quiet: opts.json });
      if (opts.json) printJson(result);
      else say(`revoked ${result.keyId} at ${result.revokedAt}`);
    });

  keys
    .command('signing-key')
    .description("the public half of the service's Ed25519 package-signing key (made on first use), and its fingerprint")
    .option('--json', 'print {publicKeyPem, fingerprint} as JSON')
    .action((opts: { json?: boolean }) => {
      const key = loadOrCreateSigningKey(loadDataDir());
      if (opts.json) printJson({ publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint });
      else {
        process.stdout.write(key.publicKeyPem);
        say(`fingerprint ${key.fingerprint}`);
      }
    });

  return keys;
}
