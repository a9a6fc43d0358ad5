import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, tempDir } from '../harness/cli';

/** Every file of a folder, by relative path. */
function tree(dir: string): Map<string, string> {
  return new Map(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('docs/api (the API reference, typedoc from the TSDoc of lib/index.ts)', () => {
  test('is current (regenerate with `npm run docs`)', () => {
    const out = tempDir('api-docs');
    const res = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const fresh = tree(out);
    expect(fresh.get('README.md')).toMatch(/### EnvironmentConfig[\s\S]*### MediaAiPlatformProps/);
    expect(tree(path.join(ROOT, 'docs', 'api'))).toEqual(fresh);
  }, 300_000);
});
