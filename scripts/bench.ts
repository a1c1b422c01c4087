/**
 * `npm run bench [-- --out FILE] [-- --only sim,vault]`: runs every benchmark module in scripts/bench/, prints a
 * table, and with --out writes one flat JSON object of "dotted.key": number, plus FILE's `.conditions.json`
 * sibling that says what each figure was measured under (below).
 *
 * Gas figures come from the production build profile (optimizer on): that is what gets deployed. It is built into
 * artifacts-production/, which no default-profile build (tests, the devnet bench's `npm start`) overwrites, and
 * every contract a gas bench deploys is checked against it (scripts/lib/production-build.ts). A module that reports
 * a gas figure (a key containing "gas") without having deployed through that check fails the bench.
 * Speed figures are medians of several rounds, measured within one process; they depend on the machine's load,
 * so each is printed with the load average (1 min, os.loadavg) at its module's start and end and the core count.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { runCli } from "./lib/cli.js";
import { ROOT } from "./lib/paths.js";
import {
  buildProduction,
  checkedDeployments,
  productionHre,
  productionLabel,
  productionSettings,
} from "./lib/production-build.js";

export interface BenchModule {
  name: string;
  run(): Promise<Record<string, number>>;
}

/** What a figure is: gas (deterministic, from the production build), a size (deterministic), or a timing. */
type Kind = "gas" | "size" | "timing";
const kindOf = (key: string): Kind => (/gas/i.test(key) ? "gas" : /Bytes$/.test(key) ? "size" : "timing");

interface ModuleConditions {
  startedAt: string;
  seconds: number;
  loadavgStart: number[];
  loadavgEnd: number[];
  /** Contracts deployed from the production build and checked, by name. */
  productionContracts: string[];
}

const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

function gitCommit(): string | undefined {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head}+changes` : head;
  } catch {
    return undefined;
  }
}

runCli(async () => {
  const { values } = parseArgs({ options: { out: { type: "string" }, only: { type: "string" } } });
  const dir = new URL("./bench/", import.meta.url);
  const only = values.only?.split(",");
  const cores = availableParallelism();

  console.error("building contracts with the production profile (into artifacts-production/)…");
  buildProduction();
  const gasLabel = await productionLabel();

  const figures: Record<string, number> = {};
  const moduleOf: Record<string, string> = {};
  const modules: Record<string, ModuleConditions> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) {
    // Each module is named after its file: with --only, the others are not even loaded (one that does not build
    // cannot stop the rest).
    if (only && !only.includes(file.slice(0, -3))) continue;
    const mod = ((await import(pathToFileURL(fileURLToPath(new URL(file, dir))).href)) as { default: BenchModule })
      .default;
    if (only && !only.includes(mod.name)) continue;
    console.error(`bench: ${mod.name}…`);
    const startedAt = new Date();
    const loadavgStart = load();
    const checked = checkedDeployments.length;
    const result = await mod.run();
    const productionContracts = [...new Set(checkedDeployments.slice(checked).map((d) => d.name))];
    const gasKeys = Object.keys(result).filter((k) => kindOf(k) === "gas");
    if (gasKeys.length > 0 && productionContracts.length === 0) {
      throw new Error(
        `bench ${mod.name} reports gas (${gasKeys.join(", ")}) but deployed nothing through productionNetwork() ` +
          `(scripts/lib/production-build.ts): its gas may not be the production build's`,
      );
    }
    modules[mod.name] = {
      startedAt: startedAt.toISOString(),
      seconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
      loadavgStart,
      loadavgEnd: load(),
      productionContracts,
    };
    for (const k of Object.keys(result)) moduleOf[k] = mod.name;
    Object.assign(figures, result);
  }

  const conditionOf = (key: string): string => {
    const kind = kindOf(key);
    if (kind === "gas") return gasLabel;
    if (kind === "size") return "size (deterministic for one build)";
    const m = modules[moduleOf[key]!]!;
    return `load ${m.loadavgStart[0]!.toFixed(2)}→${m.loadavgEnd[0]!.toFixed(2)} on ${cores} cores`;
  };
  const keyWidth = Math.max(...Object.keys(figures).map((k) => k.length));
  const shown = Object.fromEntries(
    Object.entries(figures).map(([k, v]) => [k, Number.isInteger(v) ? v.toLocaleString("en-US") : v.toFixed(3)]),
  );
  const valueWidth = Math.max(...Object.values(shown).map((v) => v.length));
  console.log(`# ${cores} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}; gas: ${gasLabel}`);
  for (const [k, v] of Object.entries(shown)) console.log(`${k.padEnd(keyWidth)}  ${v.padStart(valueWidth)}  ${conditionOf(k)}`);

  if (values.out) {
    // The figures stay one flat "dotted.key": number map (other tools read it); the conditions go beside it.
    writeFileSync(values.out, JSON.stringify(figures, null, 2) + "\n");
    const conditionsFile = values.out.replace(/(\.json)?$/, ".conditions.json");
    const settings = await productionSettings();
    const conditions = {
      figures: values.out,
      commit: gitCommit(),
      finishedAt: new Date().toISOString(),
      machine: { cores, cpu: cpus()[0]?.model, node: process.version, platform: `${process.platform}-${process.arch}` },
      gas: {
        label: gasLabel,
        profile: "production",
        solc: settings.solc,
        evmVersion: settings.evmVersion,
        optimizer: settings.optimizer,
        artifacts: relative(ROOT, (await productionHre()).config.paths.artifacts),
      },
      modules,
      keys: Object.fromEntries(
        Object.keys(figures).map((k) => [k, { module: moduleOf[k], kind: kindOf(k), conditions: conditionOf(k) }]),
      ),
    };
    writeFileSync(conditionsFile, JSON.stringify(conditions, null, 2) + "\n");
    console.error(`wrote ${values.out} and ${conditionsFile}`);
  }
});
