import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Postgres } from '../../lib';
import { isLabelName, isMetricName, parsePromDuration } from '../../lib/shared/grammar';
import { asPostgres, postgresOwnedDir } from '../harness/servers';
import { run, workDir } from '../harness/tools';

/**
 * The grammars agree with the programs that read the values: each sample is written into its
 * own file, the real tool checks them all in one run, and its verdict per file must equal ours.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Runs `tool args… files…` and returns, per sample, whether the tool accepted its file. */
function verdicts(samples: string[], file: (v: string) => object, tool: string, args: string[]): boolean[] {
  const dir = workDir('grammar-vs-tools');
  dirs.push(dir);
  const files = samples.map((v, i) => {
    const f = path.join(dir, `sample-${i}.yml`);
    fs.writeFileSync(f, JSON.stringify(file(v)));
    return f;
  });
  return files.map((f) => run(tool, [...args, f]).status === 0);
}

const DURATIONS = ['0', '0s', '30s', '1m', '1m30s', '1h30m', '15d', '2w', '1y', '324ms', '3w2d1h', '10y',
  '12h30d', '1.5d', '1', '-1w', '30 s', '1y1m1d', '5M', '1h1h', 's', '', '30S', '1d12h', '90m'];

test('Prometheus durations: parsePromDuration agrees with promtool (rule `for:`)', () => {
  const promtool = verdicts(DURATIONS, (v) => ({ groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: v }] }] }), 'promtool', ['check', 'rules']);
  expect(DURATIONS.map((v, i) => [v, promtool[i]])).toEqual(DURATIONS.map((v) => [v, parsePromDuration(v) !== undefined]));
});

const METRIC_NAMES = ['http_requests_total', 'api:requests:rate5m', '_x', 'a1', 'http-requests-total', '1abc', 'a.b', 'a b', 'ä', 'colon:ok'];

test('metric names: isMetricName agrees with promtool (recording rule names)', () => {
  const promtool = verdicts(METRIC_NAMES, (v) => ({ groups: [{ name: 'g', rules: [{ record: v, expr: 'up' }] }] }), 'promtool', ['check', 'rules']);
  expect(METRIC_NAMES.map((v, i) => [v, promtool[i]])).toEqual(METRIC_NAMES.map((v) => [v, isMetricName(v)]));
});

const LABEL_NAMES = ['alertname', 'service', '_x', 'a1', 'alert name', 'k8s-namespace', '1abc', 'a.b', 'a:b'];

test('label names: isLabelName agrees with amtool (route group_by)', () => {
  const amtool = verdicts(LABEL_NAMES, (v) => ({ route: { receiver: 'null', group_by: [v] }, receivers: [{ name: 'null' }] }), 'amtool', ['check-config']);
  expect(LABEL_NAMES.map((v, i) => [v, amtool[i]])).toEqual(LABEL_NAMES.map((v) => [v, isLabelName(v)]));
});

describe('settings PostgreSQL refuses together', () => {
  let root: string;
  beforeAll(() => {
    root = postgresOwnedDir('pg-settings');
    dirs.push(root);
    asPostgres('initdb', ['-D', path.join(root, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  }, 60_000);

  /** Starts the real server with the settings: refused if it exits with a wal_level error, accepted if it is still up after 4 s. */
  function postgresAccepts(settings: Record<string, string | number>): boolean {
    const args = ['4', 'postgres', '-D', path.join(root, 'data'), '-k', root, '-p', '54391', '-c', 'listen_addresses='];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    try {
      asPostgres('timeout', args);
      return true;
    } catch (e: any) {
      if (e.status === 124) return true; // killed by timeout: it was running
      expect(`${e.stderr}`).toMatch(/wal_level/); // refused for this reason, not another
      return false;
    }
  }
  const libraryAccepts = (settings: Record<string, string | number>) => {
    try {
      new Postgres(new Chart(Testing.app(), 'test', { namespace: 'media-ai' }), 'postgres', { credentials: { name: 'pg' }, settings: settings });
      return true;
    } catch {
      return false;
    }
  };

  test.each([
    [{ wal_level: 'minimal', archive_mode: 'on', max_wal_senders: 0 }],
    [{ wal_level: 'minimal', archive_mode: 'off', max_wal_senders: 10 }],
    [{ wal_level: 'minimal', archive_mode: 'off', max_wal_senders: 0 }],
    [{ wal_level: 'replica', archive_mode: 'on', max_wal_senders: 10 }],
  ])('%j: the library decides as postgres does', (settings) => {
    expect(libraryAccepts(settings)).toBe(postgresAccepts(settings));
  }, 30_000);
});
