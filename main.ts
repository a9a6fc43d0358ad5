import { App } from 'cdk8s';
import { MediaAiPlatform, synthesizeAtomically } from './lib';

// The reference app: `npm run synth` (or `cdk8s synth`) writes its YAML to dist/.
const app = new App();
new MediaAiPlatform(app, 'media-ai');
synthesizeAtomically(app);
