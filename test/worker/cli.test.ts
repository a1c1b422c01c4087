/**
 * The operator's side of `npm run worker`: configuration mistakes fail at once with exit code 2 and a sentence
 * saying what to fix; `status`, bonding on first start, `leave` and `withdraw` against a real `hardhat node`.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../game/worker/config.js";
import { ROOT } from "../../scripts/lib/deploy.js";
import { accountAddress, accountKey, mineTo, slashedOf, spawnWorker, startSystem, type System } from "./harness.js";

const KEY = accountKey(15);

/** Runs the CLI to completion: exit code and output. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "game/worker/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe("worker configuration", () => {
  it("takes flags, falls back to SURGE_* variables, and applies defaults", () => {
    const c = loadConfig(["--rpc", "http://127.0.0.1:1", "--threads", "2"], {
      SURGE_WORKER_KEY: KEY.slice(2),
      SURGE_THREADS: "7",
      SURGE_BOND: "1.5",
    });
    assert.equal(c.command, "run");
    assert.equal(c.key, KEY, "0x is added to a bare hex key");
    assert.equal(c.threads, 2, "the flag wins over the environment");
    assert.equal(c.bond, 1_500_000_000_000_000_000_000n, "sgETH has 21 decimals");
    assert.equal(c.metricsPort, 0);
    assert.equal(c.pollMs, 1_000);
    assert.equal(c.confirmations, undefined, "chosen per chain at connect time");
  });

  it("says what to fix", () => {
    const bad = (argv: string[], pattern: RegExp) =>
      assert.throws(() => loadConfig(argv, {}), (e: unknown) => e instanceof ConfigError && pattern.test(e.message));
    bad(["--key", KEY], /no RPC endpoint: pass --rpc URL or set SURGE_RPC_URL/);
    bad(["--rpc", "http://x"], /no worker key/);
    bad(["--rpc", "http://x", "--key", "0x1234"], /--key must be a private key: 0x followed by 64 hex digits/);
    bad(["--rpc", "ws://x", "--key", KEY], /http:\/\/ or https:\/\//);
    bad(["--rpc", "http://x", "--key", KEY, "--threads", "0"], /--threads must be at least 1/);
    bad(["--rpc", "http://x", "--key", KEY, "--bond=-1"], /--bond must be a positive sgETH amount/);
    bad(["--rpc", "http://x", "--key", KEY, "--bond", "lots"], /--bond must be a positive sgETH amount/);
    bad(["--rpc", "http://x", "--key", KEY, "--log-level", "loud"], /--log-level must be/);
    bad(["--rpc", "http://x", "--key", KEY, "--nope", "1"], /Unknown option '--nope'/);
    bad(["dance", "--rpc", "http://x", "--key", KEY], /the command must be one of: run, leave, withdraw, status/);
  });
});

describe("npm run worker against a chain", { timeout: 240_000 }, () => {
  let s: System;
  before(async () => {
    s = await startSystem({ epochBlocks: 5n, challengeWindow: 3n, fallbackDelay: 20n, unbondingDelay: 40n });
  });
  after(async () => {
    await s?.cleanup();
  });

  it("refuses an unreachable RPC, a missing or foreign deployment file, and an unbonded worker", async () => {
    const unreachable = await cli(["--rpc", "http://127.0.0.1:9", "--key", KEY]);
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.out, /cannot reach the RPC endpoint http:\/\/127\.0\.0\.1:9/);

    const missing = await cli(["--rpc", s.chain.url, "--key", KEY, "--deployment", "/nonexistent/31337.json"]);
    assert.equal(missing.code, 2);
    assert.match(missing.out, /no deployment file at \/nonexistent\/31337\.json/);

    const foreign = `${s.deploymentFile}.foreign.json`;
    writeFileSync(foreign, JSON.stringify({ ...s.deployment, chainId: 11155111 }));
    const wrongChain = await cli(["--rpc", s.chain.url, "--key", KEY, "--deployment", foreign]);
    assert.equal(wrongChain.code, 2);
    assert.match(wrongChain.out, /is for chain 11155111 but .* is chain 31337/);

    const unbonded = await cli(["--rpc", s.chain.url, "--key", KEY, "--deployment", s.deploymentFile]);
    assert.equal(unbonded.code, 2);
    assert.match(unbonded.out, /is not bonded: pass --bond 1/);
  });

  it("bonds itself on first start, reports its status, leaves and withdraws after the delay", async () => {
    const common = ["--rpc", s.chain.url, "--key", KEY, "--deployment", s.deploymentFile];
    const w = spawnWorker({ rpc: s.chain.url, key: KEY, deployment: s.deploymentFile, args: ["--bond", "2", "--metrics-port", "0"] });
    await w.waitForLog((l) => l.msg === "registered and bonded");
    await w.waitForLog((l) => l.msg === "worker started: following the chain");
    assert.equal(await w.kill("SIGTERM"), 0);

    const status = await cli(["status", ...common]);
    assert.equal(status.code, 0, status.out);
    const st = JSON.parse(status.out.slice(status.out.indexOf("{"))) as Record<string, unknown>;
    assert.equal(st.registered, true);
    assert.equal(st.eligible, true);
    assert.equal(st.bond, "2 sgETH");

    const early = await cli(["withdraw", ...common]);
    assert.equal(early.code, 2);
    assert.match(early.out, /has not asked to leave: run `leave` first/);

    const leave = await cli(["leave", ...common]);
    assert.equal(leave.code, 0, leave.out);
    assert.match(leave.out, /exit requested/);
    const exitBlock = Number(/"exitBlock":(\d+)/.exec(leave.out)![1]);

    const tooSoon = await cli(["withdraw", ...common]);
    assert.equal(tooSoon.code, 2);
    assert.match(tooSoon.out, new RegExp(`can be withdrawn from block ${exitBlock} on`));

    await mineTo(s.chain.url, BigInt(exitBlock));
    const withdraw = await cli(["withdraw", ...common]);
    assert.equal(withdraw.code, 0, withdraw.out);
    assert.match(withdraw.out, /withdrew the bond/);
    const after = JSON.parse((await cli(["status", ...common])).out.replace(/^[^{]*/, "")) as Record<string, unknown>;
    assert.equal(after.registered, false);
    assert.equal(await slashedOf(s, accountAddress(15)), 0n);
  });
});
