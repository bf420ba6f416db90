import { defineConfig } from "@playwright/test";

// The suite runs against the release build on its own port and a fresh SQLite file.
export const ADMIN_PASSWORD = "E2e-admin-Passw0rd";
const PORT = 3100;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
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
    command:
      "rm -rf target/e2e && mkdir -p target/e2e && exec target/release/shopassist serve --demo",
    url: `http://127.0.0.1:${PORT}/ready`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    env: {
      DATABASE_URL: "sqlite://target/e2e/shop.db",
      LEPTOS_SITE_ADDR: `127.0.0.1:${PORT}`,
      LEPTOS_SITE_ROOT: "target/site",
      LEPTOS_ENV: "PROD",
      SHOPASSIST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      RUST_LOG: "warn",
    },
  },
});
