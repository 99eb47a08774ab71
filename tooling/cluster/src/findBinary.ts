/** Looking up optional system programs (haproxy, prometheus) the way a shell would. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian installs daemons in sbin, which a non-root PATH often lacks. */
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The full path of `name` on PATH (then the sbin directories), or undefined when it is not installed. */
export function findBinary(name: string, path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter).filter((d) => d !== ''), ...SBIN_DIRS];
  return dirs.map((dir) => join(dir, name)).find(executable);
}
