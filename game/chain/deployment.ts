/**
 * A deployment of Surge Gold: where its contracts live on one chain. The deploy script (scripts/deploy.ts) and the
 * devnet (`npm start`) write it to `public/deployments/<chainId>.json`; the client fetches it at run time and the
 * worker node reads it with `--deployment FILE`. Parsed with zod, so a hand-edited or stale file fails with a
 * message that names the field at fault.
 */
import { getAddress, isAddress, type Address } from "viem";
import { z } from "zod";

const address = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), { message: "not an address (0x and 40 hex digits)" })
  .transform((s) => getAddress(s) as Address);

export const deploymentSchema = z.object({
  /** Format version of this file. */
  version: z.literal(1),
  chainId: z.number().int().positive(),
  /** A human name: "devnet", "sepolia", … */
  network: z.string().min(1),
  /** The block of the first deployment transaction: event queries start here. */
  startBlock: z.number().int().nonnegative(),
  contracts: z.object({
    weth: address,
    restakingLayer: address,
    vault: address,
    runRegistry: address,
    workerRegistry: address,
    replayer: address,
    settlement: address,
    gold: address,
  }),
  /** The module parameters the system was deployed with (numbers as decimal strings), for display. */
  parameters: z.record(z.string(), z.string()).default({}),
  /**
   * Worker nodes' HTTP endpoints (http://host:port) that serve /trees/<epoch>/<root>: where a player's page fetches an
   * attested tree to check (and challenge) its own runs. Optional; the devnet lists its workers.
   */
  workers: z.array(z.string().url()).default([]),
  /** Where this deployment's indexer (game/indexer) answers, if it has one: the client reads history from it. */
  indexer: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, { message: "not an http:// or https:// URL" })
    .transform((s) => s.replace(/\/+$/, ""))
    .optional(),
});

export type Deployment = z.infer<typeof deploymentSchema>;
export type ContractName = keyof Deployment["contracts"];

export class DeploymentError extends Error {}

/** Validates a parsed deployment file; `source` names it in errors (a path or a URL). */
export function parseDeployment(json: unknown, source: string): Deployment {
  const parsed = deploymentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join(".") : "(root)";
    throw new DeploymentError(`${source} is not a valid deployment file: ${where}: ${issue.message}`);
  }
  return parsed.data;
}

/** The path of a chain's deployment file, relative to the web root (and to `public/` on disk). */
export function deploymentPath(chainId: number): string {
  return `deployments/${chainId}.json`;
}
