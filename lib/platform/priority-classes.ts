import { Construct } from 'constructs';
import { platformPriorityClass, PRIORITY_TIERS, PriorityTier } from '../shared';

/**
 * The platform's PriorityClasses (monitoring > data stores > API > batch), created together in one
 * chart. Constructs use them by default (`priorityClassName` overrides) and create a missing one
 * in their own chart; creating this first puts them all here, in the chart applied first.
 */
export class PlatformPriorityClasses extends Construct {
  /** Name of each tier's PriorityClass. */
  public readonly names: Readonly<Record<PriorityTier, string>>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const tiers = Object.keys(PRIORITY_TIERS) as PriorityTier[];
    this.names = Object.fromEntries(tiers.map((t) => [t, platformPriorityClass(this, t)])) as Record<PriorityTier, string>;
  }
}
