/**
 * Indexer figures (game/indexer, Ponder on its embedded PGlite), against a real `hardhat node` with the system
 * deployed (test/worker/harness.ts):
 *   indexer.eventsPerSecond  backfill: 3,000 runs (6,000 RunStarted/RunSubmitted events, each run replayed with
 *                            game/sim by the indexer) played cheaply (500 players, 200 runs per block), then the
 *                            indexer started on a fresh database: events / seconds from its HTTP server answering
 *                            (backfill begins) to /healthz ready at the head
 *   indexer.lagBlocks        live: the median of head − indexed block, sampled every 100 ms while runs are played at
 *                            the devnet's pace, a block a second with 10 runs in each, for 30 s (the indexer polls
 *                            every 200 ms)
 *   client.leaderboardMs     the client's all-time leaderboard query (top 100 by gold and one player's rank,
 *                            lib/queries.ts) over 100,000 runs: 100,000 SYNTHETIC rows are inserted directly into the
 *                            indexer's run table (stopped, its PGlite opened here) and the query is timed on that
 *                            database, median of 20 (over HTTP it adds Ponder's routing and JSON; not included)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { sql } from "drizzle-orm";
import { indexerHealth, spawnIndexer, waitForIndexed } from "../../game/indexer/lib/process.js";
import { leaderboard } from "../../game/indexer/lib/queries.js";
import { freePort } from "../lib/node.js";
import { fundPlayers, mineTo, playRuns, startSystem } from "../../test/worker/harness.js";

const BACKFILL_RUNS = 3_000;
const SYNTHETIC_RUNS = 100_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export default {
  name: "indexer",
  async run(): Promise<Record<string, number>> {
    const s = await startSystem({ epochBlocks: 50n, challengeWindow: 3n, fallbackDelay: 60n, unbondingDelay: 200n });
    const dbDir = mkdtempSync(join(tmpdir(), "surge-indexer-bench-"));
    try {
      const players = await fundPlayers(s.chain.url, 500, 61);
      await playRuns(s.chain.url, s.deployment.contracts.runRegistry, players, BACKFILL_RUNS, { perBlock: 200 });
      // Past Ponder's 30-block finality depth: all of it is backfill, none live.
      await mineTo(s.chain.url, (await s.client.getBlockNumber()) + 40n);
      const head = await s.client.getBlockNumber();
      const logs = await s.client.getLogs({ address: Object.values(s.deployment.contracts), fromBlock: 0n, toBlock: head });

      const port = await freePort();
      const ix = spawnIndexer({ deploymentFile: s.deploymentFile, rpc: s.chain.url, port, dbDir, pollMs: 200, logLevel: "warn" });
      let eventsPerSecond: number;
      let lagBlocks: number;
      try {
        while ((await indexerHealth(ix.url, 1_000)) === null) {
          if (ix.child.exitCode !== null) throw new Error(`the indexer exited:\n${ix.output().slice(-2_000)}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const t0 = performance.now();
        await waitForIndexed(ix, head, 600_000);
        eventsPerSecond = Math.round(logs.length / ((performance.now() - t0) / 1000));

        const samples: number[] = [];
        const sampler = setInterval(() => {
          void Promise.all([s.client.getBlockNumber({ cacheTime: 0 }), indexerHealth(ix.url, 1_000)]).then(([h, health]) => {
            if (health?.indexed !== undefined) samples.push(Number(h) - health.indexed);
          });
        }, 100);
        // 30 blocks of 10 runs, each by a fresh player (so each run is its player's first: playRuns's nonces).
        const live = await fundPlayers(s.chain.url, 300, 62);
        for (let block = 0; block < 30; block++) {
          const t = performance.now();
          await playRuns(s.chain.url, s.deployment.contracts.runRegistry, live.slice(block * 10, block * 10 + 10), 10, { perBlock: 10 });
          await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (performance.now() - t))));
        }
        clearInterval(sampler);
        lagBlocks = median(samples);
      } finally {
        await ix.stop("SIGTERM");
      }

      const leaderboardMs = await timeLeaderboard(dbDir);
      return { "indexer.eventsPerSecond": eventsPerSecond, "indexer.lagBlocks": lagBlocks, "client.leaderboardMs": leaderboardMs };
    } finally {
      await s.cleanup();
      rmSync(dbDir, { recursive: true, force: true });
    }
  },
};

/** Adds 100,000 synthetic submitted runs to the stopped indexer's database and times the client's board query. */
export async function timeLeaderboard(dbDir: string): Promise<number> {
  const pg = new PGlite(dbDir);
  try {
    // Ponder's triggers on its tables (reorg journal, live queries) need its own session: off for these rows.
    await pg.exec(`SET search_path TO surge; SET session_replication_role = replica`);
    await pg.exec(`
      INSERT INTO run (id, player, boost_bps, seed, start_block, started_at, deadline, submitted, submit_block,
                       submitted_at, epoch, submit_log_index, inputs_bytes, gold, max_depth, ticks, boosted_gold, claimed)
      SELECT 1e40::numeric + g, '0x' || lpad(to_hex(g % 5000), 40, '0'), 0, NULL, 1000 + g / 100, 1700000000 + g,
             2000 + g, true, 1000 + g / 100, 1700000000 + g, g / 100, g % 100, 20,
             (hashint4(g) & 2047), (hashint4(g + 7) & 63), 400, (hashint4(g) & 2047), false
      FROM generate_series(1, ${SYNTHETIC_RUNS}) AS g`);
    await pg.exec("ANALYZE run");
    // The board must be timed on the indexes the indexer builds (after its backfill), not on a table scan.
    const indexes = await pg.query<{ n: number }>(
      `select count(*)::int as n from pg_indexes where schemaname = 'surge' and tablename = 'run' and indexname like 'run_gold_submit_block%'`,
    );
    if (indexes.rows[0]?.n !== 1) throw new Error("the run table has no index on (gold, submit_block): was the indexer stopped before its backfill ended?");
    const db = drizzle(pg);
    const rows = (await db.execute(sql`select count(*)::int as n from run where gold is not null`)).rows as { n: number }[];
    const n = rows[0]?.n ?? 0;
    if (n < SYNTHETIC_RUNS) throw new Error(`only ${n} runs in the table`);
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      const board = await leaderboard(db, { period: "all", by: "gold", limit: 100, player: `0x${(i * 37).toString(16).padStart(40, "0")}`, now: 0n });
      times.push(performance.now() - t);
      if (board.runs.length !== 100 || board.me === null) throw new Error("the board query returned less than a full board");
    }
    return Math.round(median(times.slice(1)) * 10) / 10;
  } finally {
    await pg.close();
  }
}
