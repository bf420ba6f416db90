import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { ADMIN_PASSWORD } from "../playwright.config";

export { ADMIN_PASSWORD };

/** A suffix that makes names and emails unique to one test run. */
export function unique(): string {
  return `${Date.now()}${Math.floor(Math.random() * 1000)}`;
}

// WCAG 2.0 and 2.1, levels A and AA.
const WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const BLOCKING_IMPACTS = new Set(["serious", "critical"]);

/**
 * Checks the page as it is now with axe (WCAG 2.1 A and AA rules) and fails the test on any
 * serious or critical violation, listing each as `rule (impact) at <target>: <what to fix>`.
 * The failure is soft: the test goes on to check its other screens and fails at its end.
 * `screen` names the page in the report. Call it once the screen shows what it is about.
 */
export async function expectAccessible(page: Page, screen: string) {
  await test.step(`${screen} passes the accessibility check`, async () => {
    // Whatever is still loading would be checked as a half-drawn page.
    await expect(page.getByText(/^(Loading…|載入中…)$/)).toHaveCount(0);
    const results = await new AxeBuilder({ page }).withTags(WCAG_AA_TAGS).analyze();
    const problems = results.violations.flatMap((rule) =>
      rule.nodes
        .filter((node) => BLOCKING_IMPACTS.has(node.impact ?? rule.impact ?? ""))
        .map((node) => {
          const target = node.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : String(t))).join(" >> ");
          const why = (node.failureSummary ?? rule.help).replace(/\s+/g, " ").trim();
          return `${rule.id} (${node.impact ?? rule.impact}) at ${target}: ${why} [${rule.helpUrl}]`;
        }),
    );
    if (problems.length > 0) {
      await test.info().attach(`axe violations on ${screen}`, {
        body: JSON.stringify(results.violations, null, 2),
        contentType: "application/json",
      });
    }
    expect.soft(problems, `serious or critical accessibility violations on ${screen}`).toEqual([]);
  });
}

/** The storefront's lazy pages (src/pages/storefront/lazy.rs): the account, the cart,
 * checkout and orders, under the default store view or a store code. */
const LAZY_PAGE = /^(\/[a-z0-9_]+)?\/(customer|checkout|sales)(\/|$)/;

/** Waits until the page is hydrated (interactive): the app, and a lazy page's own chunk too,
 * which can arrive after the app has hydrated (a box ticked before then was reset). */
export async function hydrated(page: Page) {
  await page.locator("body[data-hydrated]").waitFor();
  if (LAZY_PAGE.test(new URL(page.url()).pathname)) {
    await page.locator("body[data-page-hydrated]").waitFor();
  }
}

/** Opens a page and waits until it is hydrated (interactive). */
export async function open(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

export class AdminPanel {
  constructor(private page: Page) {}

  async signIn(username: string, password: string) {
    await open(this.page, "/admin");
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
    await expect(this.page.getByRole("navigation", { name: "Admin menu" })).toBeVisible();
  }

  menu() {
    return this.page.getByRole("navigation", { name: "Admin menu" });
  }

  async go(label: string) {
    await this.menu().getByRole("link", { name: label, exact: true }).click();
  }

  /** Opens a new role's page under User Roles with its name and the acting admin's password filled in. */
  async newRole(name: string, ownPassword: string) {
    await this.go("User Roles");
    await this.page.getByRole("link", { name: "Add New Role" }).click();
    await this.page.getByLabel("Role Name").fill(name);
    await this.page.getByLabel("Your Password").fill(ownPassword);
  }

  /**
   * Adds an admin user in `role` under All Users, confirmed with the acting admin's password;
   * `interfaceLocale` (as the English screen names it) is the language they read the panel in.
   */
  async newUser(username: string, password: string, role: string, ownPassword: string, interfaceLocale?: string) {
    await this.go("All Users");
    await this.page.getByRole("link", { name: "Add New User" }).click();
    await this.page.getByLabel("User Name").fill(username);
    await this.page.getByLabel("First Name").fill("Agent");
    await this.page.getByLabel("Last Name").fill("Smith");
    await this.page.getByLabel("Email").fill(`${username}@example.com`);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
    await this.page.getByLabel("Password Confirmation").fill(password);
    if (interfaceLocale) {
      await this.page.getByLabel("Interface Locale").selectOption({ label: interfaceLocale });
    }
    await this.page.getByLabel("Role").selectOption({ label: role });
    await this.page.getByLabel("Your Password").fill(ownPassword);
    await this.page.getByRole("button", { name: "Save User" }).click();
    await expect(this.page.getByRole("status")).toContainText("You saved the user.");
  }

  async signOut() {
    await this.page.getByRole("button", { name: "Sign Out" }).click();
    await expect(this.page.getByRole("button", { name: "Sign in" })).toBeVisible();
  }
}

export class Storefront {
  constructor(private page: Page) {}

  async register(first: string, last: string, email: string, password: string) {
    await open(this.page, "/customer/account/create");
    await this.page.getByLabel("First Name").fill(first);
    await this.page.getByLabel("Last Name").fill(last);
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
    await this.page.getByLabel("Confirm Password").fill(password);
    await this.page.getByRole("button", { name: "Create an Account" }).click();
  }

  async signIn(email: string, password: string) {
    await open(this.page, "/customer/account/login");
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign In" }).click();
  }
}

/** Sets Enable Login as Customer at Default Config: Yes, or back to the system value (No). */
export async function setFeature(page: Page, on: boolean) {
  await open(page, "/admin/dashboard");
  await new AdminPanel(page).go("Configuration");
  await page.getByRole("link", { name: /Login as Customer$/ }).click();
  await expect(page.getByRole("heading", { name: "Login as Customer" })).toBeVisible();
  const enable = page.getByLabel("Enable Login as Customer");
  const systemValue = page.locator(".config-field").filter({ has: enable }).getByLabel("Use system value");
  if (on) {
    await systemValue.uncheck();
    await enable.selectOption({ label: "Yes" });
  } else {
    await systemValue.check();
  }
  await page.getByRole("button", { name: "Save Config" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the configuration.");
}

/** Opens a customer's edit page from the grid, found by email. */
export async function openCustomer(page: Page, email: string) {
  await open(page, `/admin/customers?search=${encodeURIComponent(email)}`);
  await page.getByRole("table", { name: "Customers" }).getByRole("link", { name: "Edit" }).first().click();
  await expect(page.getByLabel("Email")).toHaveValue(email);
}

