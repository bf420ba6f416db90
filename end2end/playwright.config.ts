import { defineConfig } from "@playwright/test";

// The suite runs against the release build on its own port and a fresh SQLite file.
export const ADMIN_PASSWORD = "E2e-admin-Passw0rd";
/** Where the server's stdout and stderr go, relative to the repository root; global-teardown.ts reads it. */
export const SERVER_LOG = "target/e2e/server.log";
const PORT = 3100;

export default defineConfig({
  testDir: "./tests",
  // Fails the run when the server logged an ERROR the suite did not expect.
  globalTeardown: "./global-teardown.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // A `test.only` left in a spec would run that test alone and pass: refused under CI.
  forbidOnly: ["1", "true"].includes(process.env.CI ?? ""),
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    cwd: "..",
    // The log goes to a file that global-teardown.ts reads; the default (non-JSON) format gives
    // lines like `2026-12-01T23:59:59.000000Z ERROR ...`; when the server does not start, the
    // reason is at the end of that file.
    command:
      // `exec`: the server is the process Playwright stops, so none outlives the run.
      `rm -rf target/e2e && mkdir -p target/e2e && exec ${process.env.SHOPASSIST_BIN ?? "target/release/shopassist"} serve --demo >${SERVER_LOG} 2>&1`,
    url: `http://127.0.0.1:${PORT}/ready`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DATABASE_URL: "sqlite://target/e2e/shop.db",
      LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
      LEPTOS_SITE_ROOT: "target/site",
      LEPTOS_ENV: "PROD",
      SHOPASSIST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      RUST_LOG: "warn",
      NO_COLOR: "1",
    },
  },
});
