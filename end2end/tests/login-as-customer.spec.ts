import { Browser, expect, Page, test } from "@playwright/test";
import { ADMIN_PASSWORD, AdminPanel, hydrated, open, openCustomer, setFeature, Storefront, unique } from "./fixtures";

const CONSENT = "Allow remote shopping assistance";

/** Registers a shopper in a browser of their own, consenting or not; returns their email. */
async function shopperInOwnBrowser(browser: Browser, first: string, consent: boolean): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = `${first.toLowerCase()}.${unique()}@example.com`;
  await new Storefront(page).register(first, "Kim", email, "Shopper-Passw0rd1");
  await expect(page.getByRole("heading", { name: "My Account" })).toBeVisible();
  if (consent) {
    await open(page, "/customer/account/edit");
    await page.getByLabel(CONSENT).check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForLoadState("networkidle");
    await open(page, "/customer/account/edit");
    await expect(page.getByLabel(CONSENT)).toBeChecked();
  }
  await context.close();
  return email;
}

/** Sets `Store View to Log in` at Default Config. */
async function setStoreChoice(page: Page, choice: "Automatic" | "Manual Selection") {
  await open(page, "/admin/dashboard");
  await new AdminPanel(page).go("Configuration");
  await page.getByRole("link", { name: /Login as Customer$/ }).click();
  const field = page.getByLabel("Store View to Log in");
  const systemValue = page.locator(".config-field").filter({ has: field }).getByLabel("Use system value");
  if (choice === "Automatic") {
    await systemValue.check();
  } else {
    await systemValue.uncheck();
    await field.selectOption({ label: choice });
  }
  await page.getByRole("button", { name: "Save Config" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the configuration.");
}

/** Confirms the open dialog and returns the storefront tab it opens, once it shows My Account. */
async function confirmAndOpen(page: Page, dialogName: string): Promise<Page> {
  const dialog = page.getByRole("dialog", { name: dialogName });
  const [tab] = await Promise.all([
    page.waitForEvent("popup"),
    dialog.getByRole("button", { name: "Login as Customer" }).click(),
  ]);
  await tab.waitForURL(/\/customer\/account$/);
  await hydrated(tab);
  return tab;
}

test("the seed's flow: enable, grant, consent, start, banner on every page, change, Close Session", async ({
  page,
  browser,
}) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await setFeature(page, true);

  // A support role with Allow Login as Customer (and the customer grid to find the shopper).
  const role = `Support Agents ${unique()}`;
  const agent = `agent.${unique()}`;
  await admin.newRole(role, ADMIN_PASSWORD);
  await page.getByRole("tab", { name: "Role Resources" }).click();
  await page.getByRole("checkbox", { name: "Allow Login as Customer" }).check();
  await page.getByRole("checkbox", { name: "All Customers", exact: true }).check();
  await page.getByRole("button", { name: "Save Role" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the role.");
  await admin.newUser(agent, "Agent-Passw0rd1", role, ADMIN_PASSWORD);
  await admin.signOut();

  const email = await shopperInOwnBrowser(browser, "Lou", true);

  await admin.signIn(agent, "Agent-Passw0rd1");
  await openCustomer(page, email);
  await page.getByRole("button", { name: "Login as Customer" }).click();
  const dialog = page.getByRole("dialog", { name: "You are about to Login as Customer" });
  await expect(dialog).toContainText("will affect actual customer data");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeVisible();
  const tab = await confirmAndOpen(page, "You are about to Login as Customer");
  await expect(dialog).toHaveCount(0);

  // Landed on My Account as the customer; the ticket is in no address the tab keeps.
  expect(tab.url()).not.toContain("#");
  expect(tab.url()).not.toContain("ticket");
  const banner = tab.getByRole("region", { name: "Login as Customer" });
  await expect(banner).toContainText("You are connected as Lou Kim on Main Website");
  await expect(banner).toContainText("min left");
  await expect(tab.locator("p.welcome")).toHaveText("Welcome, Lou Kim!");
  await expect(tab.getByRole("region", { name: "Contact Information" })).toContainText(email);

  // On every page, and it stays in view when scrolling.
  for (const path of ["/", "/customer/account", "/customer/account/edit"]) {
    await open(tab, path);
    await expect(banner).toBeVisible();
  }
  await tab.setViewportSize({ width: 800, height: 300 });
  await tab.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect(banner).toBeInViewport();

  // Account information changed while assisting: saved, and the banner stays. (The page's
  // inner parts hydrate just after the body is marked: wait until the page is quiet.)
  await tab.waitForLoadState("networkidle");
  await tab.getByLabel("First Name").fill("Louise");
  await tab.getByRole("button", { name: "Save", exact: true }).click();
  await expect(tab.getByRole("status")).toContainText("You saved the account information.");
  await open(tab, "/customer/account");
  await expect(banner).toContainText("You are connected as Louise Kim on Main Website");

  // Close Session.
  await banner.getByRole("button", { name: "Close Session" }).click();
  await expect(tab.getByRole("heading", { name: "You are signed out" })).toBeVisible();
  await expect(banner).toHaveCount(0);
  await open(tab, "/customer/account");
  await expect(tab.getByRole("link", { name: "Sign In" })).toBeVisible();
  await tab.close();

  await admin.signOut();
  await admin.signIn("admin", ADMIN_PASSWORD);

  // The Login as Customer Log has the session, ended by the agent.
  await admin.go("Login as Customer Log");
  await expect(page.getByRole("heading", { name: "Login as Customer Log" })).toBeVisible();
  await page.getByRole("textbox", { name: "Customer Email" }).fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  const log = page.getByRole("table", { name: "Login as Customer Log" });
  await expect(log.getByRole("row")).toHaveCount(2);
  await expect(log).toContainText(email);
  await expect(log).toContainText("Closed by the administrator");

  // The Action Logs Report, filtered by Login As Customer.
  await admin.go("Report");
  await expect(page.getByRole("heading", { name: "Action Logs Report" })).toBeVisible();
  await page.getByRole("combobox", { name: "Action Group" }).selectOption({ label: "Login As Customer" });
  await page.getByRole("button", { name: "Search" }).click();
  const report = page.getByRole("table", { name: "Action Logs" });
  await expect(report).toContainText("End Login as Customer");
  await expect(report).toContainText("Open storefront");
  await expect(report).toContainText("Allow remote shopping assistance");
  await expect(report.getByRole("cell", { name: "Customers", exact: true })).toHaveCount(0);
  // The change made while assisting is in the group too, with its detail view.
  const change = report.getByRole("row").filter({ hasText: "Save account information" });
  await expect(change).toHaveCount(1);
  await change.getByRole("link", { name: /View entry/ }).click();
  await expect(page.getByRole("heading", { name: /Action Log Entry/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "New Value" })).toContainText("Louise");

  await setFeature(page, false);
});

test("a customer without consent gets the refusal dialog; Manual Selection offers only the account's stores", async ({
  page,
  browser,
}) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await setFeature(page, true);

  const without = await shopperInOwnBrowser(browser, "Nod", false);
  await openCustomer(page, without);
  await page.getByRole("button", { name: "Login as Customer" }).click();
  const refusal = page.getByRole("alertdialog", { name: "Login as Customer not enabled" });
  await expect(refusal).toContainText("has not enabled Allow remote shopping assistance");
  await refusal.getByRole("button", { name: "OK" }).click();
  await expect(refusal).toHaveCount(0);

  await setStoreChoice(page, "Manual Selection");
  const email = await shopperInOwnBrowser(browser, "Max", true);
  await openCustomer(page, email);
  await page.getByRole("button", { name: "Login as Customer" }).click();
  const dialog = page.getByRole("dialog", { name: "Login as Customer: Select Store" });
  const store = dialog.getByLabel("Store");
  await expect(store).toHaveValue(/\d+/); // the customer's own store view, preselected
  await expect(store.locator("option", { hasText: "Default Store View" })).toBeEnabled();
  await expect(store.locator("option", { hasText: "Second Store English" })).toBeDisabled();
  await expect(store.locator("optgroup")).toHaveCount(2);
  const tab = await confirmAndOpen(page, "Login as Customer: Select Store");
  await expect(tab.getByRole("region", { name: "Login as Customer" })).toContainText(
    "You are connected as Max Kim on Main Website",
  );
  await tab.close();

  await setStoreChoice(page, "Automatic");
  await setFeature(page, false);
});
