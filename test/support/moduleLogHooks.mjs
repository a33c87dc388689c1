// Module hooks that append the URL of every module Node loads to $RINGWATCH_MODULE_LOG, one a line:
// how test/unit/cli/program.test.ts sees what a command imports before it answers.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (process.env.RINGWATCH_MODULE_LOG) appendFileSync(process.env.RINGWATCH_MODULE_LOG, `${url}\n`);
  return result;
}
