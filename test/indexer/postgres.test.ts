/**
 * The indexer's suite (suite.ts) once more on a real PostgreSQL server: a throwaway cluster (postgres.ts) started
 * before and stopped after. Fails without Postgres's binaries (CI installs them), unless SURGE_SKIP_POSTGRES=1.
 */
import { skipPostgres, startPostgres } from "./postgres.js";
import { indexerSuite } from "./suite.js";

if (!skipPostgres) {
  indexerSuite("Postgres", async () => {
    const pg = await startPostgres();
    return { label: "Postgres", databaseUrl: pg.url, cleanup: pg.stop };
  });
}
