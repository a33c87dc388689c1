import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Referral packages as files under `<dataDir>/packages/`: written once (to a temporary name, then
 * renamed, mode 0600) and read back by name. The graph keeps the file name and the SHA-256.
 */
export class PackageStore {
  private readonly dir: string;
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'packages');
  }

  /** Stores the bytes under `name` (a plain file name) and returns the name. */
  write(name: string, bytes: Uint8Array): string {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`not a package file name: ${name}`);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = join(this.dir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, bytes, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, join(this.dir, name));
    return name;
  }

  /** The stored bytes, or null when the file is gone. */
  read(name: string): Buffer | null {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) return null;
    try {
      return readFileSync(join(this.dir, name));
    } catch {
      return null;
    }
  }

  remove(name: string): void {
    rmSync(join(this.dir, name), { force: true });
  }
}
