import { Testing } from 'cdk8s';
import { MediaAiPlatform, PROD } from '../../lib/platform';
import { architectureMarkdown } from '../../lib/platform/architecture';

/** docs/architecture.md as it should be: the prod reference platform. */
export function architectureDoc(): string {
  const app = Testing.app();
  new MediaAiPlatform(app, 'media-ai', { environment: PROD });
  return architectureMarkdown(app, 'the reference platform (prod)');
}
