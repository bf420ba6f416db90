import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, AdminPanel, open, unique } from "./fixtures";

test("an admin creates a custom role and a user in it, who sees only the allowed menu and is refused elsewhere", async ({ page }) => {
  const admin = new AdminPanel(page);
  const role = `Support Agents ${unique()}`;
  const agent = `agent.${unique()}`;
  await admin.signIn("admin", ADMIN_PASSWORD);

  await admin.newRole(role, ADMIN_PASSWORD);
  await page.getByRole("tab", { name: "Role Resources" }).click();
  await expect(page.getByLabel("Resource Access")).toHaveValue("custom");
  await page.getByRole("checkbox", { name: "All Customers" }).check();
  // Ticking a child ticks its ancestors.
  await expect(page.getByRole("checkbox", { name: "Customers", exact: true })).toBeChecked();
  await page.getByRole("checkbox", { name: "Dashboard" }).check();
  await page.getByRole("checkbox", { name: "Allow Login as Customer" }).check();
  await expect(page.getByRole("checkbox", { name: "Login as Customer", exact: true })).toBeChecked();
  // Unticking a parent clears its descendants.
  await page.getByRole("checkbox", { name: "Login as Customer", exact: true }).uncheck();
  await expect(page.getByRole("checkbox", { name: "Allow Login as Customer" })).not.toBeChecked();
  await page.getByRole("button", { name: "Save Role" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the role.");

  await admin.newUser(agent, "Agent-Passw0rd", role, ADMIN_PASSWORD);
  await admin.signOut();

  await admin.signIn(agent, "Agent-Passw0rd");
  const menu = admin.menu();
  await expect(menu.getByRole("link", { name: "All Customers" })).toBeVisible();
  await expect(menu.getByRole("link", { name: "Dashboard" })).toBeVisible();
  for (const hidden of ["User Roles", "All Users", "Configuration", "All Stores"]) {
    await expect(menu.getByRole("link", { name: hidden })).toHaveCount(0);
  }
  await admin.go("All Customers");
  await expect(page.getByRole("table", { name: "Customers" })).toBeVisible();

  await open(page, "/admin/system/roles");
  await expect(page.getByRole("alert")).toContainText("you need permissions");
  await expect(page.getByRole("table", { name: "Roles" })).toHaveCount(0);
});

test("ticking a user on Role Users moves them into the role", async ({ page }) => {
  const admin = new AdminPanel(page);
  const role = `Dashboard Viewers ${unique()}`;
  const agent = `agent.${unique()}`;
  await admin.signIn("admin", ADMIN_PASSWORD);
  // The user starts as an administrator, who sees every menu entry.
  await admin.newUser(agent, "Agent-Passw0rd", "Administrators", ADMIN_PASSWORD);

  await admin.newRole(role, ADMIN_PASSWORD);
  await page.getByRole("tab", { name: "Role Resources" }).click();
  await page.getByRole("checkbox", { name: "Dashboard" }).check();
  await page.getByRole("tab", { name: "Role Users" }).click();
  await page.getByRole("checkbox", { name: `In Role: ${agent}` }).check();
  await page.getByRole("button", { name: "Save Role" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the role.");
  await page.getByRole("tab", { name: "Role Users" }).click();
  await expect(page.getByRole("checkbox", { name: `In Role: ${agent}` })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "In Role: admin", exact: true })).not.toBeChecked();
  await admin.signOut();

  await admin.signIn(agent, "Agent-Passw0rd");
  await expect(admin.menu().getByRole("link", { name: "Dashboard" })).toBeVisible();
  await expect(admin.menu().getByRole("link", { name: "All Customers" })).toHaveCount(0);
});

test("an admin who may only manage users sees what they may not change instead of failing on save", async ({ page }) => {
  const admin = new AdminPanel(page);
  const role = `User Keepers ${unique()}`;
  const keeper = `keeper.${unique()}`;
  await admin.signIn("admin", ADMIN_PASSWORD);
  await admin.newRole(role, ADMIN_PASSWORD);
  await page.getByRole("tab", { name: "Role Resources" }).click();
  await page.getByRole("checkbox", { name: "All Users" }).check();
  await page.getByRole("button", { name: "Save Role" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the role.");
  await admin.newUser(keeper, "Keeper-Passw0rd", role, ADMIN_PASSWORD);
  await admin.signOut();

  await admin.signIn(keeper, "Keeper-Passw0rd");
  await admin.go("All Users");
  await page.getByRole("link", { name: "admin", exact: true }).click();
  await expect(page.getByRole("note").first()).toContainText("resources that your role does not have");
  await expect(page.getByRole("button", { name: "Save User" })).toBeDisabled();
  await expect(page.getByLabel("Role")).toBeDisabled();

  await admin.go("All Users");
  await page.getByRole("link", { name: keeper, exact: true }).click();
  await expect(page.getByRole("note").filter({ hasText: "You cannot change your own role." })).toBeVisible();
  await expect(page.getByLabel("Role")).toBeDisabled();
  await expect(page.getByLabel("This account is active")).toBeDisabled();
  // What may change still saves: the name, with the role and status posted as they are.
  await page.getByLabel("First Name").fill("Kept");
  await page.getByLabel("Your Password").fill("Keeper-Passw0rd");
  await page.getByRole("button", { name: "Save User" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the user.");

  await admin.go("All Users");
  await page.getByRole("link", { name: "Add New User" }).click();
  await expect(page.getByRole("option", { name: "Administrators (not yours to grant)" })).toBeDisabled();
  await expect(page.getByRole("option", { name: role, exact: true })).toBeEnabled();
});
