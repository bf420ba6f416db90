import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, AdminPanel, open, openCustomer, setFeature, Storefront, unique } from "./fixtures";

const CONSENT = "Allow remote shopping assistance";

test("a shopper gives consent on Account Information; the admin sees it, read-only without the opt-in right", async ({ page }) => {
  const admin = new AdminPanel(page);
  const store = new Storefront(page);
  const email = `consent.${unique()}@example.com`;
  await admin.signIn("admin", ADMIN_PASSWORD);

  // While the feature is off, the storefront shows no consent checkbox.
  await store.register("Mia", "Chen", email, "Mia-Passw0rd1");
  await expect(page.getByRole("heading", { name: "My Account" })).toBeVisible();
  await open(page, "/customer/account/edit");
  await expect(page.getByRole("heading", { name: "Edit Account Information" })).toBeVisible();
  await expect(page.getByLabel(CONSENT)).toHaveCount(0);

  await setFeature(page, true);
  await open(page, "/customer/account/edit");
  const box = page.getByLabel(CONSENT);
  await expect(box).not.toBeChecked();
  await expect(page.getByText('"see what you see"')).toBeVisible();
  await box.check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the account information.");
  await page.reload();
  await expect(page.getByLabel(CONSENT)).toBeChecked();

  await openCustomer(page, email);
  await expect(page.getByLabel(CONSENT)).toBeChecked();
  await expect(page.getByLabel(CONSENT)).toBeEnabled();

  // An admin who may edit customers but not the opt-in sees the toggle read-only, with why.
  const role = `Customer Editors ${unique()}`;
  const editor = `editor.${unique()}`;
  await admin.newRole(role, ADMIN_PASSWORD);
  await page.getByRole("tab", { name: "Role Resources" }).click();
  await page.getByRole("checkbox", { name: "Edit", exact: true }).check();
  await page.getByRole("button", { name: "Save Role" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the role.");
  await admin.newUser(editor, "Editor-Passw0rd", role, ADMIN_PASSWORD);
  await admin.signOut();
  await admin.signIn(editor, "Editor-Passw0rd");
  await openCustomer(page, email);
  await expect(page.getByLabel(CONSENT)).toBeChecked();
  await expect(page.getByLabel(CONSENT)).toBeDisabled();
  await expect(page.getByRole("note")).toContainText("permission to change the opt-in preference");
  await admin.signOut();

  await admin.signIn("admin", ADMIN_PASSWORD);
  await setFeature(page, false);
});
