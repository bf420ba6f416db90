import { expect, Page, test } from "@playwright/test";
import { ADMIN_PASSWORD, AdminPanel } from "./fixtures";

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
  await admin.signIn("admin", ADMIN_PASSWORD);
  await admin.go("Configuration");
  await page.getByRole("link", { name: /Login as Customer/ }).click();
  await expect(page.getByLabel("Enable Login as Customer")).toHaveValue("0");

  await scope(page, "Second Website");
  await expect(page.getByLabel(TITLE)).toBeDisabled();
  await field(page).getByLabel("Use Default").uncheck();
  await page.getByLabel(TITLE).fill("Let the team help you");
  await page.getByRole("button", { name: "Save Config" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the configuration.");

  await scope(page, "Second Store English");
  await expect(page.getByLabel(TITLE)).toHaveValue("Let the team help you");
  await expect(field(page).getByLabel("Use Website")).toBeChecked();

  await scope(page, "Second Store 中文");
  await field(page).getByLabel("Use Website").uncheck();
  await page.getByLabel(TITLE).fill("讓我們協助您");
  await page.getByRole("button", { name: "Save Config" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the configuration.");
  await expect(page.getByLabel(TITLE)).toHaveValue("讓我們協助您");

  await scope(page, "Second Store English");
  await expect(page.getByLabel(TITLE)).toHaveValue("Let the team help you");
  await scope(page, "Default Config");
  await expect(page.getByLabel(TITLE)).toHaveValue("Allow remote shopping assistance");
  await scope(page, "Default Store View");
  await expect(page.getByLabel(TITLE)).toHaveValue("Allow remote shopping assistance");
});
