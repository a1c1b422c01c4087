/**
 * A throwaway PostgreSQL server for the indexer's Postgres suite: `initdb` into a temporary folder, `pg_ctl start`
 * on a free port on 127.0.0.1 (trust authentication, no other listener), and `pg_ctl stop` + removal after. The
 * binaries come from SURGE_PG_BIN, else Debian's /usr/lib/postgresql/<version>/bin (`apt-get install postgresql`;
 * .ci/run installs it). As root (Postgres refuses to run as root) the cluster runs as the `postgres` user.
 * Without the binaries `startPostgres` throws, saying how to install them: the suite fails rather than skips,
 * unless SURGE_SKIP_POSTGRES=1 says this machine has no Postgres (the README says so).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/node.js";

export interface Postgres {
  url: string;
  stop: () => Promise<void>;
}

export function postgresBin(): string | null {
  const fromEnv = process.env.SURGE_PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, "initdb")) ? fromEnv : null;
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], "bin") : null;
}

export const skipPostgres = process.env.SURGE_SKIP_POSTGRES === "1";

/** `runuser` by its path: it lives in /usr/sbin, which a minimal PATH (CI's) leaves out. */
function runuser(): string {
  const found = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"].find((p) => existsSync(p));
  if (found === undefined) throw new Error("running Postgres as root needs util-linux's runuser (not found in /usr/sbin, /sbin, /usr/bin, /bin)");
  return found;
}

function run(bin: string, args: string[], asPostgres: boolean) {
  const [cmd, argv] = asPostgres ? [runuser(), ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) {
    const why = r.error ? `${r.error.message}` : `exit ${r.status ?? r.signal}`;
    throw new Error(`${bin} ${args.join(" ")} failed (${why}):\n${r.stdout ?? ""}${r.stderr ?? ""}`);
  }
  return r.stdout;
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  if (bin === null) {
    throw new Error(
      "PostgreSQL's initdb was not found (SURGE_PG_BIN or /usr/lib/postgresql/*/bin): install it with " +
        "`apt-get install -y postgresql`, point SURGE_PG_BIN at its bin folder, or set SURGE_SKIP_POSTGRES=1 to leave this suite out",
    );
  }
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "surge-pg-"));
  const data = join(dir, "data");
  if (asPostgres) {
    chmodSync(dir, 0o777);
    spawnSync("chown", ["postgres", dir]);
  }
  const port = await freePort();
  run(join(bin, "initdb"), ["-D", data, "-U", "surge", "--auth=trust", "--encoding=UTF8", "--no-sync"], asPostgres);
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=100`;
  run(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-o", opts, "-w", "-t", "60", "start"], asPostgres);
  const stop = async () => {
    try {
      run(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"], asPostgres);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return { url: `postgresql://surge@127.0.0.1:${port}/postgres`, stop };
}
