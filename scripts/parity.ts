/**
 * `npm run test:parity -- --runs N`: the differential test of TypeScript against SurgeRules with N generated runs
 * (default 2,000), plus every shared vector. Runs test/parity/parity.test.ts under Hardhat's test runner.
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { fail } from "./lib/cli.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "2000" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) fail(`--runs takes a positive whole number, got "${values.runs}"`);
const r = spawnSync("npx", ["hardhat", "test", "nodejs", "test/parity/parity.test.ts"], {
  stdio: "inherit",
  env: { ...process.env, SURGE_PARITY_RUNS: String(runs) },
});
process.exit(r.status ?? 1);
