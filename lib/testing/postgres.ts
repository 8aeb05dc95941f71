/**
 * A throwaway PostgreSQL server for tests: Debian's binaries, a fresh data
 * folder, listening on 127.0.0.1 at a free port, trust auth, UTF-8. Queries
 * go through `psql`, as a person's would.
 *
 * @module
 */

/** A running test server. */
export interface TestPostgres {
  port: number;
  /** Run SQL through psql; returns unaligned, tuples-only output. @throws {Error} with psql's stderr. */
  psql(sql: string): Promise<string>;
  /** Run a SQL file through psql (stops at the first error). */
  psqlFile(path: string): Promise<string>;
  stop(): Promise<void>;
}

async function findBin(): Promise<string> {
  const roots: string[] = [];
  try {
    for await (const e of Deno.readDir("/usr/lib/postgresql")) roots.push(e.name);
  } catch {
    // Not installed.
  }
  roots.sort((a, b) => Number(b) - Number(a));
  for (const v of roots) {
    const bin = `/usr/lib/postgresql/${v}/bin`;
    try {
      await Deno.stat(`${bin}/initdb`);
      return bin;
    } catch {
      // Try the next version.
    }
  }
  throw new Error(
    "PostgreSQL is not installed: `apt-get install postgresql` (deno task test does this as root)",
  );
}

async function run(cmd: string[], options: { asUser?: string; cwd?: string } = {}) {
  const full = options.asUser ? ["runuser", "-u", options.asUser, "--", ...cmd] : cmd;
  const out = await new Deno.Command(full[0], {
    args: full.slice(1),
    cwd: options.cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Start a fresh PostgreSQL server on loopback. Stop it when done. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = await findBin();
  const root = Deno.uid() === 0;
  const user = root ? "postgres" : undefined;
  const dir = await Deno.makeTempDir({ prefix: "evalkit-pg-" });
  await Deno.chmod(dir, 0o777);
  const data = `${dir}/data`;
  if (root) await run(["chown", "postgres:postgres", dir]);
  const init = await run([
    `${bin}/initdb`,
    "-D",
    data,
    "-U",
    "evalkit",
    "--auth=trust",
    "--encoding=UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ], { asUser: user, cwd: dir });
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = freePort();
  const full = [
    `${bin}/postgres`,
    "-D",
    data,
    "-p",
    String(port),
    "-k",
    dir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "fsync=off",
    "-c",
    "TimeZone=UTC",
  ];
  const cmd = user ? ["runuser", "-u", user, "--", ...full] : full;
  const server = new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const psqlArgs = (extra: string[]) => [
    `${bin}/psql`,
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    "-U",
    "evalkit",
    "-d",
    "postgres",
    "-X",
    "-q",
    "-A",
    "-t",
    "-v",
    "ON_ERROR_STOP=1",
    ...extra,
  ];
  let ready = false;
  for (let i = 0; i < 100 && !ready; i++) {
    const r = await run([`${bin}/pg_isready`, "-h", "127.0.0.1", "-p", String(port)]);
    ready = r.code === 0;
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    try {
      server.kill("SIGTERM");
    } catch {
      // Already gone.
    }
    await server.status;
    await server.stderr.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  if (!ready) {
    await stop();
    throw new Error("PostgreSQL did not start within 10 s");
  }
  const psql = async (args: string[]) => {
    const r = await run(psqlArgs(args));
    if (r.code !== 0) throw new Error(`psql failed: ${r.stderr}`);
    return r.stdout;
  };
  return {
    port,
    psql: (sql) => psql(["-c", sql]),
    psqlFile: (path) => psql(["-f", path]),
    stop,
  };
}
