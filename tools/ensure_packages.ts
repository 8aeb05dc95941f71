/**
 * Install the Debian packages the tests use when they are missing, so that
 * `deno task test` works on a fresh machine with only Node.js, npm and apt.
 * As root with apt-get it installs them; otherwise it says what to install
 * and the tests that need them fail with the same advice.
 */

interface Need {
  package: string;
  /** A path whose presence means the package is there (a glob-free check). */
  present: () => boolean;
  why: string;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function anyPostgres(): boolean {
  try {
    for (const e of Deno.readDirSync("/usr/lib/postgresql")) {
      if (exists(`/usr/lib/postgresql/${e.name}/bin/initdb`)) return true;
    }
  } catch {
    // Not installed.
  }
  return false;
}

const NEEDS: Need[] = [
  {
    package: "postgresql",
    present: anyPostgres,
    why: "the --emit-sql postgres test runs a real server",
  },
  {
    package: "chromium",
    present: () => exists("/usr/bin/chromium"),
    why: "the report and rating-page tests run in real headless Chromium",
  },
];

const missing = NEEDS.filter((n) => !n.present());
if (missing.length > 0) {
  const names = missing.map((n) => n.package);
  const canInstall = Deno.uid() === 0 && exists("/usr/bin/apt-get");
  for (const n of missing) console.error(`evalkit tests need ${n.package}: ${n.why}`);
  if (canInstall) {
    console.error(`installing ${names.join(" ")} from Debian's packages (once) ...`);
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    for (const args of [["update", "-qq"], ["install", "-y", "-qq", ...names]]) {
      const r = await new Deno.Command("apt-get", { args, env, stdout: "null", stderr: "piped" })
        .output();
      if (r.code !== 0) {
        console.error(new TextDecoder().decode(r.stderr));
        console.error(`apt-get ${args[0]} failed; install ${names.join(" ")} yourself`);
        break;
      }
    }
  } else {
    console.error(`install them with: sudo apt-get install ${names.join(" ")}`);
  }
}
