import { App } from 'cdk8s';
import { synthesizeEnvironments } from './lib';

// The reference app: `npm run synth` (or `cdk8s synth`) writes every environment to dist/<env>/;
// MEDIA_AI_ENV=prod (`npm run synth -- --env prod`) renders one, MEDIA_AI_EVENT=peak a planned event.
synthesizeEnvironments({ outdir: new App().outdir, only: process.env.MEDIA_AI_ENV, event: process.env.MEDIA_AI_EVENT });
