/**
 * The worker's configuration: command-line flags, each with an environment variable of the same meaning (flags
 * win), validated with zod so that every mistake is reported as what to fix, not as a stack trace.
 */
import { CURVE_ORDER } from "../chain/bls.js";
import { parseArgs } from "node:util";
import { isHex, parseUnits } from "viem";
import { z } from "zod";

export class ConfigError extends Error {}

export const COMMANDS = ["run", "leave", "withdraw", "status"] as const;
export type Command = (typeof COMMANDS)[number];

/** One option: its flag, its environment variable, and what it means (the usage text is built from this). */
interface OptionSpec {
  flag: string;
  env: string;
  arg: string;
  help: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  { flag: "rpc", env: "SURGE_RPC_URL", arg: "URL", help: "JSON-RPC endpoint of the chain (http or https)" },
  { flag: "key", env: "SURGE_WORKER_KEY", arg: "0x…", help: "the worker's private key (32 bytes, hex)" },
  {
    flag: "deployment",
    env: "SURGE_DEPLOYMENT",
    arg: "FILE",
    help: "deployment file (default: public/deployments/<chainId>.json)",
  },
  { flag: "threads", env: "SURGE_THREADS", arg: "N", help: "replay threads (default: the CPU count)" },
  { flag: "bond", env: "SURGE_BOND", arg: "SGETH", help: "on first start, bond this much sgETH (deposits ETH as needed)" },
  { flag: "metrics-port", env: "SURGE_METRICS_PORT", arg: "PORT", help: "HTTP port of /metrics and /healthz (0 = off)" },
  { flag: "metrics-host", env: "SURGE_METRICS_HOST", arg: "HOST", help: "address the HTTP server binds (127.0.0.1)" },
  {
    flag: "confirmations",
    env: "SURGE_CONFIRMATIONS",
    arg: "N",
    help: "blocks to wait before acting on one (default: 0 on chain 31337, 2 elsewhere)",
  },
  { flag: "poll-ms", env: "SURGE_POLL_MS", arg: "MS", help: "how often to look at the chain (default 1000)" },
  { flag: "log-level", env: "SURGE_LOG_LEVEL", arg: "LEVEL", help: "trace, debug, info, warn, error, fatal, silent (default info)" },
  {
    flag: "peers",
    env: "SURGE_PEERS",
    arg: "URL,…",
    help: "other workers' HTTP servers to fetch a foreign root's tree from (to challenge it)",
  },
  {
    flag: "bls-key",
    env: "SURGE_BLS_KEY",
    arg: "0x…",
    help: "the worker's BLS12-381 secret key (default: derived from --key, see game/chain/bls.ts)",
  },
  {
    flag: "aggregate-delay",
    env: "SURGE_AGGREGATE_DELAY",
    arg: "BLOCKS",
    help: "blocks each worker waits after the one before it in an epoch's aggregation turn (default 2)",
  },
  {
    flag: "log-page-blocks",
    env: "SURGE_LOG_PAGE_BLOCKS",
    arg: "N",
    help: "most blocks per eth_getLogs request (default 2000)",
  },
];

const int = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

const schema = z.object({
  command: z.enum(COMMANDS, { message: `the command must be one of: ${COMMANDS.join(", ")}` }),
  rpc: z
    .string({ message: "no RPC endpoint: pass --rpc URL or set SURGE_RPC_URL" })
    .url("--rpc must be a URL such as http://127.0.0.1:8545")
    .refine((u) => /^https?:\/\//.test(u), "--rpc must be an http:// or https:// URL"),
  key: z
    .string({ message: "no worker key: pass --key 0x… or set SURGE_WORKER_KEY (a 32-byte private key in hex)" })
    .transform((k) => (k.startsWith("0x") ? k : `0x${k}`))
    .refine(
      (k) => isHex(k) && k.length === 66,
      "--key must be a private key: 0x followed by 64 hex digits (check for a truncated or quoted value)",
    )
    .transform((k) => k as `0x${string}`),
  deployment: z.string().min(1).optional(),
  threads: int("--threads", 1, 256).optional(),
  bond: z
    .string()
    .refine((s) => /^\d+(\.\d{1,21})?$/.test(s) && Number(s) > 0, "--bond must be a positive sgETH amount, e.g. 1 or 2.5")
    .transform((s) => parseUnits(s, 21))
    .optional(),
  metricsPort: int("--metrics-port", 0, 65_535).default(0),
  metricsHost: z.string().min(1).default("127.0.0.1"),
  confirmations: int("--confirmations", 0, 1_000).optional(),
  pollMs: int("--poll-ms", 50, 600_000).default(1_000),
  logLevel: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"], {
    message: "--log-level must be trace, debug, info, warn, error, fatal or silent",
  }).default("info"),
  peers: z
    .string()
    .transform((s) => s.split(",").map((p) => p.trim()).filter((p) => p.length > 0))
    .pipe(z.array(z.string().url("--peers must be comma-separated http(s) URLs")))
    .default([]),
  logPageBlocks: int("--log-page-blocks", 1, 1_000_000).default(2_000),
  blsKey: z
    .string()
    .refine((k) => /^0x[0-9a-fA-F]{1,64}$/.test(k), "--bls-key must be a scalar in hex: 0x followed by up to 64 digits")
    .transform((k) => BigInt(k))
    .refine((k) => k > 0n && k < CURVE_ORDER, "--bls-key must be at least 1 and below the BLS12-381 group order")
    .optional(),
  aggregateDelay: int("--aggregate-delay", 0, 10_000).default(2),
});

export type WorkerConfig = z.infer<typeof schema>;

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Reads flags from `argv` (after the script name) and falls back to `env` for each one. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(OPTIONS.map((o) => [o.flag, { type: "string" as const }])),
        help: { type: "boolean" as const, short: "h" },
      },
    });
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}\n\n${usage()}`);
  }
  if (parsed.values.help === true) throw new ConfigError(usage());
  if (parsed.positionals.length > 1) throw new ConfigError(`one command at most, got: ${parsed.positionals.join(" ")}`);
  const raw: Record<string, unknown> = { command: parsed.positionals[0] ?? "run" };
  for (const o of OPTIONS) {
    const value = parsed.values[o.flag] ?? env[o.env];
    if (value !== undefined && value !== "") raw[camel(o.flag)] = value;
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => i.message).join("\n"));
  }
  return result.data;
}

export function usage(): string {
  const width = Math.max(...OPTIONS.map((o) => o.flag.length + o.arg.length + 3));
  const lines = OPTIONS.map((o) => `  --${o.flag} ${o.arg}`.padEnd(width + 4) + `${o.help} [${o.env}]`);
  return [
    "usage: npm run worker -- [run|leave|withdraw|status] --rpc URL --key 0x… [options]",
    "",
    "  run       follow the chain: replay, attest, challenge, finalize, claim (default)",
    "  leave     ask to leave (requestExit); the bond can be withdrawn after the unbonding delay",
    "  withdraw  take the bond back once the unbonding delay has passed",
    "  status    print this worker's registration, bond and eligibility",
    "",
    ...lines,
  ].join("\n");
}
