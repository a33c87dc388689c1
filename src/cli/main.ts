import { CommanderError } from 'commander';
import { buildProgram, describeError } from './program.ts';

/** The `ringwatch` command (bin/ringwatch.js runs this module, compiled or through tsx). */
async function main(argv: string[]): Promise<void> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help/version text).
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`${describeError(error)}\n`);
    if (process.env.RINGWATCH_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
