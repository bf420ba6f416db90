import { expect, Page, test } from "@playwright/test";
import * as fs from "fs";
import * as path from "path";
import { ADMIN_PASSWORD, AdminPanel, open, Storefront } from "./fixtures";

const ROOT = path.join(__dirname, "..", "..");

// The build's split manifest: each split point's chunks. The admin's screens are lazy routes;
// the texts are split points too, one per table and locale (`shop_en_us_<n>`, `admin_…`: see
// src/l10n.rs). File names carry a content hash (`chunk_12.<hash>.wasm`): compare the part
// before it.
function manifest(): Record<string, string[]> {
  const pkg = path.join(ROOT, "target", "site", "pkg");
  const file = fs.readdirSync(pkg).find((f) => f.startsWith("__wasm_split_manifest") && f.endsWith(".json"));
  if (!file) throw new Error(`no split manifest in ${pkg}: was the build made with --split?`);
  const entries: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(pkg, file), "utf8"));
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v.map((c) => c.split(".")[0])]));
}

/** The chunks of the split points `wanted` picks that no other split point needs. */
function chunksOnlyOf(wanted: (name: string) => boolean): Set<string> {
  const entries = Object.entries(manifest());
  const others = new Set(entries.filter(([k]) => !wanted(k)).flatMap(([, v]) => v));
  return new Set(entries.filter(([k]) => wanted(k)).flatMap(([, v]) => v.filter((c) => !others.has(c))));
}

/** Every chunk of the admin's screens: the split points that are neither texts nor the
 * storefront's lazy pages (`…_route_view_…`, from `src/pages/storefront/lazy.rs`). */
function adminChunks(): Set<string> {
  return chunksOnlyOf((name) => !/^(shop|admin)_(en_us|zh_hant_tw)_/.test(name) && !/_route_view_/.test(name));
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

/** Every text of `locales/<locale>/<namespace>.json`, with the values' placeholders taken out. */
function texts(locale: string, namespaces: string[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(...v.split(/\{\{[^}]*\}\}/));
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const ns of namespaces) {
    walk(JSON.parse(fs.readFileSync(path.join(ROOT, "locales", locale, `${ns}.json`), "utf8")));
  }
  // Long enough not to be a word the code also spells (`Email`, `ID`), and not in the other set.
  return [...new Set(out.map((t) => t.trim()))].filter((t) => Buffer.byteLength(t) >= 12);
}

/** The string literals of the code (`"Save role"`: the action log stores its actions' names
 *  as written, and the code names the known ones to translate them). */
function literals(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(".rs")) for (const m of fs.readFileSync(p, "utf8").matchAll(/"((?:[^"\\]|\\.)*)"/g)) out.add(m[1]);
    }
  };
  walk(path.join(ROOT, "src"));
  return out;
}

/** Texts of `these` that are not also texts of `those` (the same words in two places), nor
 *  words the code itself spells. */
function only(these: string[], those: string[]): string[] {
  const other = new Set(those);
  const code = literals();
  return these.filter((t) => !other.has(t) && !code.has(t) && !those.some((o) => o.includes(t)));
}

/** The bodies of every wasm and JavaScript file the page downloads. */
function recordDownloads(page: Page): Promise<Buffer>[] {
  const bodies: Promise<Buffer>[] = [];
  page.on("response", (r) => {
    if (/\.(wasm|js)$/.test(new URL(r.url()).pathname)) bodies.push(r.body());
  });
  return bodies;
}

async function textsIn(bodies: Promise<Buffer>[], candidates: string[]): Promise<string[]> {
  const all = Buffer.concat(await Promise.all(bodies));
  return candidates.filter((t) => all.includes(Buffer.from(t)));
}

test("a storefront page downloads its own language's texts and no others", async ({ browser }) => {
  const [enShop, zhShop] = [texts("en-US", ["common", "store"]), texts("zh-Hant-TW", ["common", "store"])];
  const [enAdmin, zhAdmin] = [texts("en-US", ["admin"]), texts("zh-Hant-TW", ["admin"])];
  const zhAll = [...zhShop, ...zhAdmin];
  const enAll = [...enShop, ...enAdmin];
  // The English store view and the Traditional Chinese one (the demo's second website), each
  // in a fresh browser so nothing comes from its cache.
  for (const [path, own, foreign] of [
    ["/", only(enShop, zhAll), [...only(zhAll, enAll), ...only(enAdmin, [...enShop, ...zhAll])]],
    ["/second_zh", only(zhShop, enAll), [...only(enAll, zhAll), ...only(zhAdmin, [...zhShop, ...enAll])]],
  ] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const bodies = recordDownloads(page);
    await open(page, path);
    await open(page, `${path === "/" ? "" : path}/customer/account/login`);
    await expect(page.getByRole("button", { name: /^(Sign In|登入)$/ })).toBeVisible();
    expect(own.length).toBeGreaterThan(20);
    expect(foreign.length).toBeGreaterThan(100);
    // The page's own texts arrived (the check can see texts), and no other language's, and
    // none of the admin's.
    expect((await textsIn(bodies, own)).length, `${path}: its own texts`).toBeGreaterThan(20);
    expect(await textsIn(bodies, foreign), `${path}: texts it does not show`).toEqual([]);
    await context.close();
  }
});

test("an admin page downloads the admin's texts in the admin's language only", async ({ page }) => {
  const bodies = recordDownloads(page);
  await new AdminPanel(page).signIn("admin", ADMIN_PASSWORD);
  await new AdminPanel(page).go("All Customers");
  await expect(page.getByRole("table", { name: "Customers" })).toBeVisible();
  const [en, zh] = [texts("en-US", ["common", "store", "admin"]), texts("zh-Hant-TW", ["common", "store", "admin"])];
  expect((await textsIn(bodies, only(texts("en-US", ["admin"]), zh))).length).toBeGreaterThan(50);
  expect(await textsIn(bodies, only(zh, en))).toEqual([]);
});
