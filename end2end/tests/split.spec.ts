import { expect, Page, test } from "@playwright/test";
import * as fs from "fs";
import * as path from "path";
import { ADMIN_PASSWORD, AdminPanel, open, Storefront } from "./fixtures";

// Every lazy route is an admin screen; the build's split manifest lists each one's chunks.
// File names carry a content hash (`chunk_12.<hash>.wasm`): compare the part before it.
function adminChunks(): Set<string> {
  const pkg = path.join(__dirname, "..", "..", "target", "site", "pkg");
  const file = fs.readdirSync(pkg).find((f) => f.startsWith("__wasm_split_manifest") && f.endsWith(".json"));
  if (!file) throw new Error(`no split manifest in ${pkg}: was the build made with --split?`);
  const routes: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(pkg, file), "utf8"));
  return new Set(Object.values(routes).flat().map((c) => c.split(".")[0]));
}

function recordWasm(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (r) => {
    const name = new URL(r.url()).pathname.split("/").pop() ?? "";
    if (name.endsWith(".wasm")) seen.push(name.split(".")[0]);
  });
  return seen;
}

test("the storefront never downloads admin code", async ({ page }) => {
  const admin = adminChunks();
  expect(admin.size).toBeGreaterThan(5);
  const requested = recordWasm(page);

  const store = new Storefront(page);
  await open(page, "/");
  await store.register("Split", "Tester", `split.${Date.now()}@example.com`, "Split-Passw0rd");
  await expect(page.getByRole("heading", { name: "My Account" })).toBeVisible();
  await page.getByRole("region", { name: "Contact Information" }).getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: "Edit Account Information" })).toBeVisible();
  await open(page, "/second_en");

  expect(requested.length).toBeGreaterThan(0);
  expect(requested.filter((f) => admin.has(f))).toEqual([]);
});

test("admin screens load their own chunks", async ({ page }) => {
  const admin = adminChunks();
  const requested = recordWasm(page);
  await new AdminPanel(page).signIn("admin", ADMIN_PASSWORD);
  await new AdminPanel(page).go("All Customers");
  await expect(page.getByRole("table", { name: "Customers" })).toBeVisible();
  expect(requested.filter((f) => admin.has(f)).length).toBeGreaterThan(0);
});
