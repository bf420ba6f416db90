import { expect, Page, test } from "@playwright/test";
import { ADMIN_PASSWORD, AdminPanel, unique } from "./fixtures";

const TITLE = "Title for Login as Customer opt-in checkbox";

async function scope(page: Page, label: string) {
  await page.getByLabel("Scope").selectOption({ label });
  await expect(page.getByLabel("Scope").locator("option:checked")).toHaveText(new RegExp(label));
}

function field(page: Page) {
  return page.locator(".config-field").filter({ has: page.getByLabel(TITLE) });
}

test("configuration saved at a website scope is inherited by its store views and overridden where set", async ({ page }) => {
  const admin = new AdminPanel(page);
  // Values of this run only, so what the test reads back is what it saved.
  const websiteTitle = `Let the team help you ${unique()}`;
  const storeTitle = `讓我們協助您 ${unique()}`;
  await admin.signIn("admin", ADMIN_PASSWORD);
  await admin.go("Configuration");
  await page.getByRole("link", { name: /Login as Customer$/ }).click();
  await expect(page.getByLabel("Enable Login as Customer")).toHaveValue("0");

  await scope(page, "Second Website");
  await expect(page.getByLabel(TITLE)).toBeDisabled();
  await field(page).getByLabel("Use Default").uncheck();
  await page.getByLabel(TITLE).fill(websiteTitle);
  await page.getByRole("button", { name: "Save Config" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the configuration.");

  await scope(page, "Second Store English");
  await expect(page.getByLabel(TITLE)).toHaveValue(websiteTitle);
  await expect(field(page).getByLabel("Use Website")).toBeChecked();

  await scope(page, "Second Store 中文");
  await field(page).getByLabel("Use Website").uncheck();
  await page.getByLabel(TITLE).fill(storeTitle);
  await page.getByRole("button", { name: "Save Config" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the configuration.");
  await expect(page.getByLabel(TITLE)).toHaveValue(storeTitle);

  await scope(page, "Second Store English");
  await expect(page.getByLabel(TITLE)).toHaveValue(websiteTitle);
  await scope(page, "Default Config");
  await expect(page.getByLabel(TITLE)).toHaveValue("Allow remote shopping assistance");
  await scope(page, "Default Store View");
  await expect(page.getByLabel(TITLE)).toHaveValue("Allow remote shopping assistance");

  // Ticking Use Website / Use Default again removes the overrides: the store is as it was.
  await scope(page, "Second Store 中文");
  await field(page).getByLabel("Use Website").check();
  await page.getByRole("button", { name: "Save Config" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the configuration.");
  await expect(page.getByLabel(TITLE)).toHaveValue(websiteTitle);
  await scope(page, "Second Website");
  await field(page).getByLabel("Use Default").check();
  await page.getByRole("button", { name: "Save Config" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the configuration.");
  await expect(page.getByLabel(TITLE)).toHaveValue("Allow remote shopping assistance");
  await expect(page.getByLabel(TITLE)).toBeDisabled();
  await scope(page, "Second Store English");
  await expect(page.getByLabel(TITLE)).toHaveValue("Allow remote shopping assistance");
});

test("a fresh store enables Login as Customer from the screen, and can return to the system value", async ({ page }) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await admin.go("Configuration");
  await page.getByRole("link", { name: /Login as Customer$/ }).click();
  await scope(page, "Default Config");
  const enable = page.getByLabel("Enable Login as Customer");
  const row = page.locator(".config-field").filter({ has: enable });
  // Nothing stored yet: the system value, shown and ticked to be used.
  await expect(enable).toHaveValue("0");
  await expect(enable).toBeDisabled();
  await expect(row.getByLabel("Use system value")).toBeChecked();

  await row.getByLabel("Use system value").uncheck();
  await expect(enable).toBeEnabled();
  await enable.selectOption({ label: "Yes" });
  await page.getByRole("button", { name: "Save Config" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the configuration.");
  await page.reload();
  await expect(page.getByLabel("Enable Login as Customer")).toHaveValue("1");
  await expect(row.getByLabel("Use system value")).not.toBeChecked();
  for (const label of ["Session Lifetime", "Idle Timeout", "Require a Reason", "Notify Customer", "Restrict Sensitive Account Changes", "Consent Lifetime"]) {
    await expect(page.getByLabel(label, { exact: true })).toBeVisible();
  }

  // Back to the system value: the feature is off again for the tests that follow.
  await row.getByLabel("Use system value").check();
  await page.getByRole("button", { name: "Save Config" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the configuration.");
  await page.reload();
  await expect(page.getByLabel("Enable Login as Customer")).toHaveValue("0");
});
