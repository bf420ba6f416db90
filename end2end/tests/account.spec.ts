import { expect, test } from "@playwright/test";
import { open, Storefront } from "./fixtures";

test("a customer registers, signs in and edits Account Information", async ({ page }) => {
  const store = new Storefront(page);
  const email = `jane.${Date.now()}@example.com`;
  await store.register("Jane", "Doe", email, "Jane-Passw0rd");
  await expect(page.getByRole("heading", { name: "My Account" })).toBeVisible();
  await expect(page.getByText("Welcome, Jane Doe!").first()).toBeVisible();
  const contact = page.getByRole("region", { name: "Contact Information" });
  await expect(contact).toContainText(email);

  await page.getByRole("button", { name: "Sign Out" }).click();
  await expect(page.getByRole("link", { name: "Sign In" })).toBeVisible();

  await store.signIn(email, "wrong-password");
  await expect(page.getByRole("alert")).toContainText("sign-in was incorrect");
  await store.signIn(email, "Jane-Passw0rd");
  await expect(page.getByRole("heading", { name: "My Account" })).toBeVisible();

  await contact.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: "Edit Account Information" })).toBeVisible();
  await page.getByLabel("Last Name").fill("Doe-Lee");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the account information.");
  await expect(page.getByText("Welcome, Jane Doe-Lee!")).toBeVisible();

  // Changing the email needs the current password.
  await page.getByLabel("Change Email").check();
  await page.getByLabel("Email", { exact: true }).fill(`new.${email}`);
  await page.getByLabel("Current Password").fill("not-my-password");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toContainText("doesn't match this account");
  await page.getByLabel("Current Password").fill("Jane-Passw0rd");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the account information.");

  await open(page, "/customer/account");
  await expect(page.getByRole("region", { name: "Contact Information" })).toContainText(`new.${email}`);
});
