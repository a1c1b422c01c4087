/**
 * `npm run bench [-- --out FILE] [-- --only sim,vault]`: runs every benchmark module in scripts/bench/, prints a
 * table, and with --out writes one flat JSON object of "dotted.key": number.
 *
 * Gas figures come from the production build profile (optimizer on): that is what gets deployed.
 * Speed figures are medians of several rounds, measured within one process.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { runCli } from "./lib/cli.js";

export interface BenchModule {
  name: string;
  run(): Promise<Record<string, number>>;
}

runCli(async () => {
  const { values } = parseArgs({ options: { out: { type: "string" }, only: { type: "string" } } });
  const root = fileURLToPath(new URL("..", import.meta.url));
  const dir = new URL("./bench/", import.meta.url);
  const only = values.only?.split(",");

  console.error("building contracts with the production profile…");
  execFileSync("npx", ["hardhat", "build", "--build-profile", "production", "--no-tests", "--quiet"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });

  const figures: Record<string, number> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) {
    const mod = ((await import(pathToFileURL(fileURLToPath(new URL(file, dir))).href)) as { default: BenchModule })
      .default;
    if (only && !only.includes(mod.name)) continue;
    console.error(`bench: ${mod.name}…`);
    Object.assign(figures, await mod.run());
  }
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [k, v] of Object.entries(figures)) {
    console.log(`${k.padEnd(width)}  ${Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(3)}`);
  }
  if (values.out) {
    writeFileSync(values.out, JSON.stringify(figures, null, 2) + "\n");
    console.error(`wrote ${values.out}`);
  }
});
