import { createHash } from 'crypto';

/**
 * The name of a one-shot Job: `<base>-<hash of its pod template>`. A Job's template is immutable,
 * so a changed template must be a new Job (re-applying the old name would be refused), and an
 * unchanged one keeps its name, so the next apply leaves it alone. Keeps the name within 63.
 */
export function immutableJobName(base: string, template: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
  return `${base.slice(0, 63 - 11).replace(/-+$/, '')}-${hash}`;
}
