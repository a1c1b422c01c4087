/**
 * The gas benches' production check (scripts/lib/production-build.ts), on the default-profile build that `hardhat
 * test` makes: a build without the optimizer is rejected; deployed code is matched to its artifact with only
 * immutables, linked library addresses and a library's own address allowed to differ. When a production build exists
 * (artifacts-production/, from `npm run bench`), a default-profile deployment is rejected end to end.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import hre from "hardhat";
import type { Hex } from "viem";
import { ROOT } from "../../scripts/lib/paths.js";
import {
  assertOptimized,
  assertProductionCode,
  readArtifactAndBuildInfo,
  runtimeCodeMatches,
  type BuildInfo,
} from "../../scripts/lib/production-build.js";
import { connection, deploySystem } from "../vault/fixture.js";

const PRODUCTION = { enabled: true, runs: 1_000 };

describe("gas benches: the production-build check", () => {
  it("rejects a build info without the optimizer (the default profile) or with other runs", async () => {
    const { buildInfo } = await readArtifactAndBuildInfo(hre, "SurgeReplayer");
    assert.throws(() => assertOptimized("SurgeReplayer", buildInfo, PRODUCTION), /SurgeReplayer was compiled with optimizer/);
    const withOptimizer = (runs: number): BuildInfo => ({
      ...buildInfo,
      input: { settings: { ...buildInfo.input.settings, optimizer: { enabled: true, runs } } },
    });
    assert.doesNotThrow(() => assertOptimized("SurgeReplayer", withOptimizer(1_000), PRODUCTION));
    assert.throws(() => assertOptimized("SurgeReplayer", withOptimizer(200), PRODUCTION), /optimizer/);
  });

  it("matches deployed code to its artifact up to immutables and library addresses, and nothing else", async () => {
    const system = await deploySystem();
    const client = await connection.viem.getPublicClient();
    const codeOf = async (address: Hex) => (await client.getCode({ address }))!;
    const artifact = async (name: string) => (await readArtifactAndBuildInfo(hre, name)).artifact;

    const vault = await artifact("SurgeVault"); // immutables and three linked libraries
    assert.ok(Object.keys(vault.immutableReferences ?? {}).length > 0 && Object.keys(vault.deployedLinkReferences).length > 0);
    const vaultCode = await codeOf(system.vault.address);
    assert.ok(runtimeCodeMatches(vault, vaultCode));
    const library = await artifact("VaultParametersLib"); // its own address in its code
    assert.ok(runtimeCodeMatches(library, await codeOf(system.libraries.VaultParametersLib!)));

    assert.ok(!runtimeCodeMatches(await artifact("MockWETH"), vaultCode), "another contract's code");
    const last = vaultCode.length - 2; // one byte of the metadata, outside every masked range
    const flipped = (vaultCode.slice(0, last) + (vaultCode.slice(last) === "00" ? "01" : "00")) as Hex;
    assert.ok(!runtimeCodeMatches(vault, flipped), "one byte changed");
    assert.ok(!runtimeCodeMatches(vault, vaultCode.slice(0, -2) as Hex), "one byte short");
  });

  it(
    "rejects a default-profile deployment against the production build",
    { skip: !existsSync(join(ROOT, "artifacts-production")) && "no production build (npm run bench makes one)" },
    async () => {
      const replayer = await connection.viem.deployContract("SurgeReplayer");
      await assert.rejects(assertProductionCode(connection, "SurgeReplayer", replayer.address), /not the production build's code/);
    },
  );
});
