/** Where things are: the repository root and the client's production build. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CLIENT_DIST = join(ROOT, "dist", "client");
