/**
 * The indexer's HTTP API (Ponder serves it on its port, next to its own /health, /ready, /status and /metrics):
 * `/healthz` for operators and the devnet, `/api/*` for the client's queries (lib/queries.ts: the boards, a player's
 * runs, the epochs, the workers, the vault's rates and an owner's withdrawal requests), and Ponder's
 * GraphQL (`/graphql`) and SQL over HTTP (`/sql/*`) for anything else. Bad parameters get a 400 with a sentence.
 */
import { db, publicClients } from "ponder:api";
import schema from "ponder:schema";
import { Hono, type Context } from "hono";
import { client, graphql, replaceBigInts } from "ponder";
import {
  epochs,
  indexedBlock,
  leaderboard,
  parseAddress,
  parseBigint,
  parseBoard,
  parseLimit,
  parsePeriod,
  playerRuns,
  ponderReady,
  QueryError,
  vaultRates,
  withdrawals,
  workers,
} from "../../lib/queries.js";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

const json = (c: Context, body: unknown, status: 200 | 503 = 200) =>
  c.json(replaceBigInts(body, (v) => v.toString()) as object, status);

async function indexed() {
  const at = await indexedBlock(db);
  if (at === null) throw new QueryError("nothing indexed yet");
  return at;
}

app.onError((e, c) => {
  if (e instanceof QueryError) return c.json({ error: e.message }, 400);
  console.error(e);
  return c.json({ error: "internal error" }, 500);
});

/**
 * 200 once Ponder's backfill is done (its indexes built) and the indexed block is within 30 blocks of the head,
 * 503 before; the lag is head − indexed, in blocks.
 */
app.get("/healthz", async (c) => {
  const [at, backfilled, head, chainId] = await Promise.all([
    indexedBlock(db),
    ponderReady(db),
    publicClients.surge.getBlockNumber({ cacheTime: 0 }).catch(() => null),
    publicClients.surge.getChainId().catch(() => null),
  ]);
  const indexed = at?.block ?? null;
  const lag = head !== null && indexed !== null ? Number(head - indexed) : null;
  const ready = backfilled && indexed !== null && head !== null && lag !== null && lag <= 30;
  return json(
    c,
    { ok: ready, ready, chainId, head: head === null ? null : Number(head), indexed: indexed === null ? null : Number(indexed), lagBlocks: lag, rpc: head !== null },
    ready ? 200 : 503,
  );
});

app.get("/api/leaderboard", async (c) => {
  const q = c.req.query();
  const at = await indexed();
  const board = await leaderboard(db, {
    period: parsePeriod(q.period),
    by: parseBoard(q.by),
    limit: parseLimit(q.limit, 20, 100),
    player: parseAddress(q.player),
    now: at.timestamp,
  });
  return json(c, { indexedBlock: at.block, ...board });
});

app.get("/api/players/:player/runs", async (c) => {
  const q = c.req.query();
  const player = parseAddress(c.req.param("player"))!;
  const at = await indexed();
  const page = await playerRuns(db, { player, limit: parseLimit(q.limit, 20, 100), before: parseBigint(q.before, "before") });
  return json(c, { indexedBlock: at.block, ...page });
});

app.get("/api/epochs", async (c) => {
  const q = c.req.query();
  const at = await indexed();
  return json(c, { indexedBlock: at.block, epochs: await epochs(db, { limit: parseLimit(q.limit, 20, 200), before: parseBigint(q.before, "before") }) });
});

app.get("/api/workers", async (c) => {
  const at = await indexed();
  return json(c, { indexedBlock: at.block, workers: await workers(db, { head: at.block, liveBlocks: parseBigint(c.req.query("liveBlocks"), "liveBlocks") ?? 50n }) });
});

app.get("/api/vault/rates", async (c) => {
  const at = await indexed();
  return json(c, { indexedBlock: at.block, points: await vaultRates(db, { limit: parseLimit(c.req.query("limit"), 200, 1000) }) });
});

app.get("/api/vault/withdrawals/:owner", async (c) => {
  const owner = parseAddress(c.req.param("owner"), "owner")!;
  const at = await indexed();
  return json(c, { indexedBlock: at.block, withdrawals: await withdrawals(db, { owner, limit: parseLimit(c.req.query("limit"), 50, 200) }) });
});

export default app;
