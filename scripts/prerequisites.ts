// Rewrites the README's "Prerequisites" block from the exported list (`npm run docs:prerequisites`);
// test/platform/prerequisites.test.ts fails when the README and the list differ.
import * as fs from 'fs';
import * as path from 'path';
import { prerequisitesMarkdown } from '../lib';

const readme = path.join(__dirname, '..', 'README.md');
const text = fs.readFileSync(readme, 'utf8');
const block = /(<!-- prerequisites:start -->\n)[\s\S]*?(\n<!-- prerequisites:end -->)/;
if (!block.test(text)) throw new Error('README.md has no prerequisites block');
fs.writeFileSync(readme, text.replace(block, (_m, start: string, end: string) => `${start}${prerequisitesMarkdown().trimEnd()}${end}`));
