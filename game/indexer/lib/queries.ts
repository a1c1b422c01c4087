/**
 * The client's queries, over any drizzle database holding the indexer's tables: Ponder's read-only one in the API
 * (src/api/index.ts), a PGlite opened directly by the bench. Each answers in one or two indexed queries, so that
 * the all-time leaderboard of 100,000 runs stays well under a second (the bench measures it).
 */
import { and, asc, desc, eq, gt, gte, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Address } from "viem";
import { epoch, run, vaultReport, withdrawal, worker } from "../ponder.schema.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = Pick<PgDatabase<PgQueryResultHKT, any>, "select" | "execute">;

export const PERIODS = { all: 0n, day: 86_400n, week: 604_800n } as const;
export type Period = keyof typeof PERIODS;
export type Board = "gold" | "depth";

export class QueryError extends Error {}

export function parsePeriod(v: string | undefined): Period {
  const p = v ?? "all";
  if (!(p in PERIODS)) throw new QueryError(`period must be one of ${Object.keys(PERIODS).join(", ")}, got "${p}"`);
  return p as Period;
}

export function parseBoard(v: string | undefined): Board {
  const b = v ?? "gold";
  if (b !== "gold" && b !== "depth") throw new QueryError(`by must be gold or depth, got "${b}"`);
  return b;
}

export function parseLimit(v: string | undefined, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new QueryError(`limit must be a whole number from 1 to ${max}, got "${v}"`);
  return n;
}

export function parseAddress(v: string | undefined, what = "player"): Address | undefined {
  if (v === undefined || v === "") return undefined;
  if (!/^0x[0-9a-fA-F]{40}$/.test(v)) throw new QueryError(`${what} must be an address (0x and 40 hex digits), got "${v}"`);
  return v.toLowerCase() as Address;
}

export function parseBigint(v: string | undefined, what: string): bigint | undefined {
  if (v === undefined || v === "") return undefined;
  if (!/^\d{1,78}$/.test(v)) throw new QueryError(`${what} must be a whole number, got "${v}"`);
  return BigInt(v);
}

/** The last block the indexer has fully indexed, and its timestamp (from Ponder's checkpoint table). */
export async function indexedBlock(db: Db): Promise<{ block: bigint; timestamp: bigint } | null> {
  const res = (await db.execute(sql`select latest_checkpoint from _ponder_checkpoint limit 1`)) as unknown as {
    rows: { latest_checkpoint: string }[];
  };
  const cp = res.rows[0]?.latest_checkpoint;
  if (!cp) return null;
  // Ponder's checkpoint: 10 digits of timestamp, 16 of chain id, 16 of block number, then the position in the block.
  return { timestamp: BigInt(cp.slice(0, 10)), block: BigInt(cp.slice(26, 42)) };
}

/**
 * Ponder's own readiness (`_ponder_meta`): false while it backfills, also after a restart, when the checkpoint of
 * the previous run is already there but its indexes are being rebuilt.
 */
export async function ponderReady(db: Db): Promise<boolean> {
  const res = (await db.execute(sql`select value from _ponder_meta where key = 'app'`)) as unknown as {
    rows: { value: { is_ready?: number } | string }[];
  };
  const v = res.rows[0]?.value;
  const app = typeof v === "string" ? (JSON.parse(v) as { is_ready?: number }) : v;
  return app?.is_ready === 1;
}

const runColumns = {
  runId: run.id,
  player: run.player,
  gold: run.gold,
  maxDepth: run.maxDepth,
  ticks: run.ticks,
  boostBps: run.boostBps,
  boostedGold: run.boostedGold,
  epoch: run.epoch,
  submitBlock: run.submitBlock,
  submitLogIndex: run.submitLogIndex,
  submittedAt: run.submittedAt,
  claimed: run.claimed,
};

/**
 * The ordering of a board, written to match the run table's indexes (NULLS LAST as indexed): ties go to the run
 * submitted first (its block, then its RunSubmitted log's place in the block), so every run has one place.
 */
function orderOf(by: Board): SQL[] {
  const first = [sql`${run.submitBlock} asc`, sql`${run.submitLogIndex} asc`];
  return by === "gold"
    ? [sql`${run.gold} desc nulls last`, ...first]
    : [sql`${run.maxDepth} desc nulls last`, sql`${run.gold} desc`, ...first];
}

export interface LeaderboardQuery {
  period: Period;
  by: Board;
  limit: number;
  player?: Address;
  /** "now" for the period: the timestamp of the last indexed block. */
  now: bigint;
}

export async function leaderboard(db: Db, q: LeaderboardQuery) {
  const since = q.period === "all" ? undefined : q.now - PERIODS[q.period];
  const scored = q.by === "gold" ? isNotNull(run.gold) : isNotNull(run.maxDepth);
  const inPeriod = since === undefined ? scored : and(scored, gte(run.submittedAt, since));
  const top = await db
    .select(runColumns)
    .from(run)
    .where(inPeriod)
    .orderBy(...orderOf(q.by))
    .limit(q.limit);
  let me: { rank: number; best: (typeof top)[number] } | null = null;
  let myRuns: typeof top = [];
  if (q.player !== undefined) {
    myRuns = await db
      .select(runColumns)
      .from(run)
      .where(and(inPeriod, eq(run.player, q.player)))
      .orderBy(...orderOf(q.by))
      .limit(5);
    const best = myRuns[0];
    if (best) {
      const g = best.gold ?? 0;
      const d = best.maxDepth ?? 0;
      const b = best.submitBlock ?? 0n;
      const i = best.submitLogIndex ?? 0;
      // The runs placed before it in orderOf's order.
      const earlier = or(lt(run.submitBlock, b), and(eq(run.submitBlock, b), lt(run.submitLogIndex, i)));
      const aheadByGold = or(gt(run.gold, g), and(eq(run.gold, g), earlier));
      const ahead = q.by === "gold" ? aheadByGold : or(gt(run.maxDepth, d), and(eq(run.maxDepth, d), aheadByGold));
      const [row] = await db.select({ n: sql<string>`count(*)` }).from(run).where(and(inPeriod, ahead));
      me = { rank: Number(row?.n ?? 0) + 1, best };
    }
  }
  return { period: q.period, by: q.by, since: since ?? null, runs: top.map((r, i) => ({ rank: i + 1, ...r })), me, myRuns };
}

/**
 * A player's runs, newest first, a page at a time: `before` is the start block the previous page ended at (a
 * player's runs start in distinct blocks, one live run at a time). Ordered by start block, not by run id: an id
 * carries the boost above the nonce, so ids do not sort by age.
 */
export async function playerRuns(db: Db, p: { player: Address; limit: number; before?: bigint }) {
  const rows = await db
    .select({ ...runColumns, startBlock: run.startBlock, startedAt: run.startedAt, submitted: run.submitted, seed: run.seed, replayPaid: run.replayPaid })
    .from(run)
    .where(p.before === undefined ? eq(run.player, p.player) : and(eq(run.player, p.player), lt(run.startBlock, p.before)))
    .orderBy(desc(run.startBlock))
    .limit(p.limit + 1);
  const page = rows.slice(0, p.limit);
  return { runs: page, next: rows.length > p.limit ? page[page.length - 1]!.startBlock.toString() : null };
}

/** The network's epochs, newest first, with the blocks settling took (from the epoch's end). */
export async function epochs(db: Db, p: { limit: number; before?: bigint }) {
  const rows = await db
    .select()
    .from(epoch)
    .where(p.before === undefined ? undefined : lt(epoch.id, p.before))
    .orderBy(desc(epoch.id))
    .limit(p.limit);
  return rows.map((e) => ({
    ...e,
    quorumLatencyBlocks: e.quorumBlock === null ? null : e.quorumBlock - e.endBlock,
    finalLatencyBlocks: e.finalBlock === null ? null : e.finalBlock - e.endBlock,
  }));
}

/** Workers with their liveness: a worker is live if it attested within `liveBlocks` of the indexed block. */
export async function workers(db: Db, p: { head: bigint; liveBlocks: bigint }) {
  const rows = await db.select().from(worker).orderBy(asc(worker.registeredBlock));
  return rows.map((w) => ({
    ...w,
    live: w.status !== "withdrawn" && w.lastAttestBlock !== null && p.head - w.lastAttestBlock <= p.liveBlocks,
  }));
}

const YEAR = 365n * 86_400n;

/**
 * The rate's history (reports; loss syncs carry no supply and are left out of the rate) with each report's APR
 * against the previous one: (rate / previous - 1) * year / seconds between them, in basis points.
 */
export async function vaultRates(db: Db, p: { limit: number }) {
  const rows = (
    await db
      .select()
      .from(vaultReport)
      .where(eq(vaultReport.kind, "report"))
      .orderBy(desc(vaultReport.block))
      .limit(p.limit + 1)
  ).reverse();
  const points = rows.map((r, i) => {
    const prev = i > 0 ? rows[i - 1]! : null;
    const dt = prev ? r.timestamp - prev.timestamp : 0n;
    const aprBps =
      prev && prev.rateE18 && r.rateE18 && dt > 0n ? Number(((r.rateE18 - prev.rateE18) * 10_000n * YEAR) / (prev.rateE18 * dt)) : null;
    return { block: r.block, timestamp: r.timestamp, rateE18: r.rateE18, totalAssets: r.totalAssets, totalSupply: r.totalSupply, aprBps };
  });
  return rows.length > p.limit ? points.slice(1) : points;
}

/**
 * An owner's withdrawal requests, newest first, each with its status: `requested`, `finalized` (rebalance fixed its
 * payout, `finalAssets`, and set it aside: claimable) or `claimed` (`paid` to `receiver`).
 */
export async function withdrawals(db: Db, p: { owner: Address; limit: number }) {
  return db.select().from(withdrawal).where(eq(withdrawal.owner, p.owner)).orderBy(desc(withdrawal.id)).limit(p.limit);
}
