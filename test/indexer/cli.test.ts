/** `npm run indexer`'s mistakes: each fails at once with exit code 2 and a sentence saying what to fix. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ROOT } from "../../scripts/lib/deploy.js";

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/indexer.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: "", SURGE_RPC_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

const A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const dir = mkdtempSync(join(tmpdir(), "surge-indexer-cli-"));
const good = join(dir, "31337.json");
writeFileSync(
  good,
  JSON.stringify({
    version: 1,
    chainId: 31337,
    network: "devnet",
    startBlock: 0,
    contracts: { weth: A, restakingLayer: A, vault: A, runRegistry: A, workerRegistry: A, replayer: A, settlement: A, gold: A },
  }),
);
const bad = join(dir, "bad.json");
writeFileSync(bad, JSON.stringify({ version: 1, chainId: "one" }));

describe("npm run indexer", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cases: [string[], RegExp][] = [
    [[], /--deployment FILE is required/],
    [["--deployment", bad], /bad\.json is not a valid deployment file: chainId/],
    [["--deployment", good, "--rpc", "http://127.0.0.1:9"], /cannot reach the RPC endpoint http:\/\/127\.0\.0\.1:9/],
    [["--deployment", good, "--schema", "Bad-Name"], /--schema must be a lower-case SQL name/],
  ];
  for (const [args, message] of cases) {
    it(`refuses ${args.join(" ") || "no arguments"}`, async () => {
      const r = await cli(args);
      assert.equal(r.code, 2, r.out);
      assert.match(r.out, message);
    });
  }
});
