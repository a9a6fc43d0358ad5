/**
 * The edit-test loop (`npm run test:fast`, jest.fast.config.js) sets MEDIA_AI_TEST_FAST=1. A test that
 * runs a real program (promtool, amtool, shellcheck, docker-compose, helm, keytool, a shell script
 * against recording tools, a server) is declared with `toolTest` or `toolDescribe`: skipped in that
 * loop, run by `npm test` and CI. Unit and synth-level tests keep `test` and `describe`.
 */
const fast = process.env.MEDIA_AI_TEST_FAST === '1';

export const toolTest: jest.It = fast ? test.skip : test;
export const toolDescribe: jest.Describe = fast ? describe.skip : describe;
/** Property tests run fewer cases in the fast loop (`npm test` runs them all). */
export const propertyRuns = (runs: number): number => (fast ? Math.ceil(runs / 5) : runs);
