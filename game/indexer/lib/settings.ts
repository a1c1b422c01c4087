/**
 * What the indexer process is told, by environment (scripts/indexer.ts sets it from its flags; Ponder's config,
 * ponder.config.ts, reads it). One reader for both, so a missing or bad value fails with one clear sentence.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseDeployment, type Deployment } from "../../chain/deployment.js";

export interface IndexerSettings {
  deploymentFile: string;
  deployment: Deployment;
  rpc: string;
  /** Postgres connection string; undefined = the embedded PGlite in `dbDir`. */
  databaseUrl: string | undefined;
  dbDir: string;
  pollMs: number;
}

export class SettingsError extends Error {}

export const ENV = {
  deployment: "SURGE_INDEXER_DEPLOYMENT",
  rpc: "SURGE_INDEXER_RPC",
  dbDir: "SURGE_INDEXER_DB_DIR",
  pollMs: "SURGE_INDEXER_POLL_MS",
  databaseUrl: "DATABASE_URL",
} as const;

export function readDeploymentFile(file: string): Deployment {
  if (!existsSync(file)) throw new SettingsError(`no deployment file at ${file}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new SettingsError(`${file} is not JSON: ${(e as Error).message}`);
  }
  try {
    return parseDeployment(json, file);
  } catch (e) {
    throw new SettingsError((e as Error).message);
  }
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): IndexerSettings {
  const deploymentFile = env[ENV.deployment];
  if (!deploymentFile) throw new SettingsError(`${ENV.deployment} is not set: run the indexer with npm run indexer -- --deployment FILE`);
  const deployment = readDeploymentFile(deploymentFile);
  const rpc = env[ENV.rpc];
  if (!rpc) throw new SettingsError(`${ENV.rpc} is not set: the indexer needs an RPC endpoint (--rpc URL)`);
  if (!/^https?:\/\//.test(rpc)) throw new SettingsError(`${ENV.rpc} must be an http:// or https:// URL, got "${rpc}"`);
  const databaseUrl = env[ENV.databaseUrl] || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new SettingsError(`${ENV.databaseUrl} must be a postgres:// or postgresql:// connection string`);
  }
  const pollMs = Number(env[ENV.pollMs] ?? "1000");
  if (!Number.isInteger(pollMs) || pollMs < 50) throw new SettingsError(`${ENV.pollMs} must be a whole number of ms, at least 50`);
  return { deploymentFile, deployment, rpc, databaseUrl, dbDir: env[ENV.dbDir] || ".ponder/pglite", pollMs };
}
