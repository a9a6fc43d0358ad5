/**
 * `ci/scripts/check.sh`: validates every object in a manifest directory strictly (the test
 * harness's validator: Kubernetes 1.27 definitions and the CRDs in crds/), and runs the
 * PrometheusRules' groups through `promtool check rules` when promtool is installed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { loadManifests } from '../lib/delivery/diff';
import { schemaValidator } from '../test/harness/schema-validator';

export function validateDir(dir: string): string[] {
  const objects = [...loadManifests(dir).values()];
  const validator = schemaValidator();
  const problems = objects.flatMap((o) => validator.validate(o).map((i) => `${i.object}: ${i.message}`));
  const groups = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec?.groups ?? []);
  if (groups.length > 0 && spawnSync('promtool', ['--version']).status === 0) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'check-rules-'));
    try {
      fs.writeFileSync(path.join(tmp, 'rules.yaml'), YAML.stringify({ groups }));
      const r = spawnSync('promtool', ['check', 'rules', path.join(tmp, 'rules.yaml')], { encoding: 'utf8' });
      if (r.status !== 0) problems.push(`promtool check rules:\n${r.stdout}${r.stderr}`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (objects.length === 0) problems.push(`no objects in ${dir}`);
  return problems;
}

if (require.main === module) {
  const dir = process.argv[2];
  const problems = validateDir(dir);
  if (problems.length > 0) {
    process.stderr.write(`check: ${problems.length} problem(s) in ${dir}:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`check: every object in ${dir} is valid\n`);
}
