/** The indexer's suite (suite.ts) on its default database, the embedded PGlite. */
import { indexerSuite } from "./suite.js";

indexerSuite("PGlite", async () => ({ label: "PGlite", cleanup: async () => {} }));
