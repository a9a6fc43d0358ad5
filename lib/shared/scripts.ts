import * as fs from 'fs';
import * as path from 'path';

/**
 * The text of a shell script kept as a file in the repo (checked by shellcheck), to put in a
 * ConfigMap. `dir` is the caller's __dirname.
 */
export function loadScript(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, 'scripts', file), 'utf8');
}
