/**
 * Vite config of the browser client. Root is game/client (index.html), static files come from the repo's
 * `public/` (art in public/assets, deployments in public/deployments, fetched at run time), and the production
 * build goes to dist/client with a manifest (scripts/bench/client.ts reads it to size the first load).
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here("."),
  publicDir: here("../../public"),
  plugins: [react()],
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 4173 },
  build: {
    outDir: here("../../dist/client"),
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
    chunkSizeWarningLimit: 1500,
  },
});
