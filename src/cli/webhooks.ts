import { Command } from 'commander';
import { ALERT_KINDS } from '../vocabulary.ts';
import { addWebhook, listWebhooks, parseEvents, removeWebhook } from '../webhooks/webhooks.ts';
import { printJson, say, withDb } from './context.ts';

/** `ringwatch webhooks add|list|remove`: where `serve` posts alerts, signed (docs/live.md, "Webhooks"). */
export function webhooksCommand(): Command {
  const webhooks = new Command('webhooks').description('where `ringwatch serve` posts alerts (signed, retried, stored in Neo4j)');
  const clock = () => new Date();

  webhooks
    .command('add')
    .description('add a webhook; its signing secret is printed once')
    .requiredOption('--url <url>', 'the receiver (http or https); loopback and private addresses are refused unless --allow-private')
    .requiredOption('--events <kinds>', `comma-separated alert kinds: ${ALERT_KINDS.join(',')}`, parseEvents)
    .option('--brand <brand>', 'only alerts on rings that sell this brand, identifiers masked')
    .option('--agency <agency>', 'only alerts on rings referred to this agency')
    .option('--allow-private', 'let the URL reach loopback and private networks (an on-premise receiver)')
    .option('--json', 'print {webhookId, secret} as JSON')
    .action(async (opts: { url: string; events: ReturnType<typeof parseEvents>; brand?: string; agency?: string; allowPrivate?: boolean; json?: boolean }) => {
      const created = await withDb(
        'cli:webhooks-add',
        ({ db }) => addWebhook(db, { url: opts.url, events: opts.events, brand: opts.brand, agency: opts.agency, allowPrivate: opts.allowPrivate }, clock),
        { quiet: opts.json },
      );
      if (opts.json) printJson({ webhookId: created.webhookId, secret: created.secret });
      else {
        const scope = created.brand ? ` for brand ${created.brand}` : created.agency ? ` for agency ${created.agency}` : '';
        say(`added webhook ${created.webhookId}${scope}: ${created.events.join(', ')} to ${created.url}`);
        say('its signing secret follows; it is shown this once (verify Ringwatch-Signature with it):');
        process.stdout.write(`${created.secret}\n`);
      }
    });

  webhooks
    .command('list')
    .description('every webhook with its scope and deliveries (never a secret)')
    .option('--json', 'print the webhooks as JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withDb('cli:webhooks-list', ({ db }) => listWebhooks(db), { quiet: opts.json });
      if (opts.json) printJson(list);
      else if (list.length === 0) say('no webhooks yet: ringwatch webhooks add --url URL --events recidivism,ring_growth,new_ring');
      else {
        for (const w of list) {
          const scope = w.brand ? ` brand=${w.brand}` : w.agency ? ` agency=${w.agency}` : '';
          const d = w.deliveries;
          process.stdout.write(
            `${w.webhookId}  ${w.url}  ${w.events.join(',')}${scope}${w.allowPrivate ? '  private allowed' : ''}  ` +
              `delivered ${d.delivered}, pending ${d.pending}, failed ${d.failed}${d.cancelled ? `, cancelled ${d.cancelled}` : ''}  created ${w.createdAt}${w.removedAt ? `  REMOVED ${w.removedAt}` : ''}\n`,
          );
        }
      }
    });

  webhooks
    .command('remove')
    .description('remove a webhook: nothing more is sent to it and its pending deliveries are cancelled')
    .argument('<webhookId>', 'the id `webhooks add` printed (WH-…)')
    .option('--json', 'print the result as JSON')
    .action(async (webhookId: string, opts: { json?: boolean }) => {
      const result = await withDb('cli:webhooks-remove', ({ db }) => removeWebhook(db, webhookId, clock), { quiet: opts.json });
      if (opts.json) printJson(result);
      else say(`removed ${result.webhookId} at ${result.removedAt}${result.cancelled ? `; ${result.cancelled} pending deliveries cancelled` : ''}`);
    });

  return webhooks;
}
