/** A real Alertmanager on a private port, fed alerts through its API, to observe routing and inhibition. */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { findBinary, freePort, waitFor } from './servers';
import { workDir } from './tools';

export interface AlertInput {
  readonly labels: Record<string, string>;
}

export interface AlertmanagerResult {
  /** alertnames that are active (not suppressed). */
  readonly active: string[];
  /** alertnames suppressed by an inhibition rule. */
  readonly inhibited: string[];
}

export async function runAlertmanager(configYaml: string, alerts: AlertInput[]): Promise<AlertmanagerResult> {
  const dir = workDir('alertmanager', { 'alertmanager.yml': configYaml });
  const port = await freePort();
  const proc: ChildProcess = spawn(findBinary('prometheus-alertmanager'), [
    `--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout!.on('data', (d) => { log += d; });
  proc.stderr!.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}/api/v2`;
  try {
    let ready = false;
    const poll = setInterval(() => { fetch(`http://127.0.0.1:${port}/-/ready`).then((r) => { ready = r.ok; }).catch(() => undefined); }, 200);
    try {
      await waitFor(() => ready || proc.exitCode !== null, 'alertmanager', 20_000);
    } finally {
      clearInterval(poll);
    }
    if (proc.exitCode !== null) throw new Error(`alertmanager exited: ${log}`);
    const startsAt = new Date().toISOString();
    const res = await fetch(`${base}/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(alerts.map((a) => ({ labels: a.labels, startsAt }))) });
    if (!res.ok) throw new Error(`posting alerts failed: ${res.status} ${await res.text()}`);
    // Inhibition is computed when alerts are read; give the dispatcher a moment to ingest them.
    let listed: any[] = [];
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      listed = await (await fetch(`${base}/alerts`)).json() as any[];
      if (listed.length === alerts.length && listed.some((a) => a.status.inhibitedBy.length > 0)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const names = (pred: (a: any) => boolean) => listed.filter(pred).map((a) => a.labels.alertname as string).sort();
    return { active: names((a) => a.status.state === 'active'), inhibited: names((a) => a.status.inhibitedBy.length > 0) };
  } finally {
    proc.kill('SIGTERM');
  }
}
