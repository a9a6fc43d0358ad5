/**
 * `npm run docs`: regenerates docs/architecture.md (the prod reference platform's diagram) from the
 * construct tree. test/docs/architecture.test.ts fails when the checked-in file is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { architectureDoc } from '../test/docs/architecture-doc';

const file = path.join(__dirname, '..', 'docs', 'architecture.md');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, architectureDoc());
console.log(`docs: ${path.relative(process.cwd(), file)} updated`);
