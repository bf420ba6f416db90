import { expect, Page, test } from "@playwright/test";
import { ADMIN_PASSWORD, AdminPanel, expectAccessible, open, Storefront, unique } from "./fixtures";

// Every screen passes axe's WCAG 2.1 A and AA rules (no serious or critical violation).
// Each test reaches its screens the way a person would and creates what it needs itself.

// Many screens per test, each with a full axe run.
test.describe.configure({ timeout: 90_000 });

async function registerShopper(page: Page, first: string, last: string) {
  const email = `a11y-${unique()}@example.com`;
  await new Storefront(page).register(first, last, email, "A11y-Passw0rd");
  await expect(page.getByRole("heading", { name: "My Account" })).toBeVisible();
  return email;
}

test("every storefront screen passes the accessibility check", async ({ page }) => {
  await open(page, "/");
  await expect(page.getByRole("heading", { name: "Home Page" })).toBeVisible();
  await expectAccessible(page, "the storefront home page");

  const account = page.getByRole("navigation", { name: "Account" });
  await account.getByRole("link", { name: "Create an Account" }).click();
  await expect(page.getByRole("heading", { name: "Create New Customer Account" })).toBeVisible();
  await expectAccessible(page, "Create New Customer Account");

  await account.getByRole("link", { name: "Sign In" }).click();
  await expect(page.getByRole("heading", { name: "Customer Login" })).toBeVisible();
  await expectAccessible(page, "Customer Login");

  await registerShopper(page, "Ada", "Lovelace");
  await expectAccessible(page, "My Account");

  await page.getByRole("region", { name: "Contact Information" }).getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: "Edit Account Information" })).toBeVisible();
  await expectAccessible(page, "Edit Account Information");
  // With both changes ticked the form shows every field it has.
  await page.getByLabel("Change Email").check();
  await page.getByLabel("Change Password").check();
  await expect(page.getByLabel("Current Password")).toBeEnabled();
  await expectAccessible(page, "Edit Account Information with email and password changes");

  await open(page, "/second_en/");
  await expect(page.getByRole("heading", { name: "Home Page" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Second Store English/ })).toBeVisible();
  await expectAccessible(page, "the home page of the Second Store English view");

  await open(page, "/no-such-page");
  await expect(page.getByRole("heading", { name: "Whoops, our bad..." })).toBeVisible();
  await expectAccessible(page, "the 404 page");
});

test("the admin sign-in page, dashboard, customers and stores pass the accessibility check", async ({ page }) => {
  const email = await registerShopper(page, "Grace", "Hopper");

  await open(page, "/admin");
  await expect(page.getByRole("heading", { name: "Welcome, please sign in" })).toBeVisible();
  await expectAccessible(page, "the admin sign-in page");

  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page).toHaveTitle(/Dashboard/);
  await expectAccessible(page, "the dashboard");

  await admin.go("All Customers");
  await expect(page.getByRole("table", { name: "Customers" })).toBeVisible();
  await expectAccessible(page, "All Customers");

  await page.getByLabel("Search by keyword").fill(email);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await row.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { name: "Grace Hopper" })).toBeVisible();
  await expectAccessible(page, "the customer edit page");

  await admin.go("All Stores");
  await expect(page.getByRole("heading", { name: "Stores" })).toBeVisible();
  await expectAccessible(page, "All Stores");
});

test("Catalog > Products and a product's edit page pass the accessibility check, and a save reaches the store", async ({
  page,
}) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await admin.go("Products");
  await expect(page.getByRole("table", { name: "Products" })).toBeVisible();
  await expectAccessible(page, "Catalog > Products");

  await page.getByRole("link", { name: "Add Product" }).click();
  await expect(page.getByRole("heading", { name: "New Product" })).toBeVisible();
  await expectAccessible(page, "a new product");
  const sku = `A11Y-${unique()}`;
  await page.getByLabel("Product Name").fill(`Accessible Lamp ${sku}`);
  await page.getByLabel("SKU").fill(sku);
  await page.getByLabel("Price", { exact: true }).fill("19.90");
  await page.getByLabel("Quantity").fill("3");
  await page.getByRole("group", { name: "Advanced Pricing" }).getByLabel("Retailer").fill("17.50");
  await page.getByRole("group", { name: "Product in Websites" }).getByLabel("Main Website").check();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("You saved the product.");
  await expect(page.getByRole("heading", { name: `Accessible Lamp ${sku}` })).toBeVisible();
  await expectAccessible(page, "a product's edit page");

  await open(page, `/search?q=${sku}`);
  await expect(page.getByRole("link", { name: `Accessible Lamp ${sku}` })).toBeVisible();
});

test("Catalog > Categories passes the accessibility check, and a new category and subcategory reach the store", async ({
  page,
}) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await admin.go("Categories");
  await expect(page.getByRole("heading", { name: "Categories", level: 1 })).toBeVisible();
  const tree = page.getByRole("navigation", { name: "Category tree" });
  await expect(tree).toBeVisible();
  await expectAccessible(page, "Catalog > Categories");

  await page.getByRole("link", { name: "Add Root Category" }).click();
  await expect(page.getByRole("heading", { name: "New Category" })).toBeVisible();
  const root = `Garden ${unique()}`;
  await page.getByLabel("Category Name").fill(root);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("You saved the category.");
  await expect(page.getByRole("heading", { name: root, level: 2 })).toBeVisible();
  await expectAccessible(page, "a category's form");

  await page.getByRole("link", { name: "Add Subcategory" }).click();
  await expect(page.getByRole("heading", { name: "New Category" })).toBeVisible();
  await expect(page.getByLabel("Parent Category")).toHaveValue(/\d+/);
  const child = `Seeds ${unique()}`;
  await page.getByLabel("Category Name").fill(child);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("You saved the category.");
  await expect(tree.getByRole("listitem").filter({ hasText: root }).getByRole("link", { name: child })).toBeVisible();

  await open(page, "/");
  await page.getByRole("link", { name: root, exact: true }).first().click();
  await expect(page.getByRole("heading", { name: root, level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: child })).toBeVisible();
});

test("the configuration screen passes the accessibility check", async ({ page }) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);

  await admin.go("Configuration");
  await expect(page.getByRole("heading", { name: "Configuration", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Save Config" })).toBeVisible();
  await expectAccessible(page, "Configuration at the default scope");

  await page
    .getByRole("navigation", { name: "Configuration sections" })
    .getByRole("link", { name: /Login as Customer/ })
    .click();
  await expect(page.getByLabel("Enable Login as Customer")).toBeVisible();
  await expectAccessible(page, "the Login as Customer configuration section");
});

test("admin users and roles pass the accessibility check", async ({ page }) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);

  await admin.go("All Users");
  await expect(page.getByRole("table", { name: "Users" })).toBeVisible();
  await expectAccessible(page, "All Users");

  await page.getByRole("link", { name: "Add New User" }).click();
  await expect(page.getByRole("heading", { name: "New User" })).toBeVisible();
  await expectAccessible(page, "New User");

  await admin.go("All Users");
  await page.getByRole("table", { name: "Users" }).getByRole("link", { name: "admin", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Edit User 'admin'" })).toBeVisible();
  await expectAccessible(page, "Edit User 'admin'");

  await admin.go("User Roles");
  await expect(page.getByRole("table", { name: "Roles" })).toBeVisible();
  await expectAccessible(page, "Roles");

  await page.getByRole("link", { name: "Add New Role" }).click();
  await expect(page.getByRole("heading", { name: "New Role" })).toBeVisible();
  await checkRoleTabs(page, "New Role");

  await admin.go("User Roles");
  await page.getByRole("table", { name: "Roles" }).getByRole("link", { name: "Administrators", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Edit Role 'Administrators'" })).toBeVisible();
  // The admin's own role: its resources are shown, fixed, with the reason.
  await checkRoleTabs(page, "Edit Role 'Administrators'", { resourcesFixed: true });
});

/**
 * Checks each tab of a role page; Role Resources with Custom chosen, so the tree shows (unless
 * the resources are fixed for this admin: then the locked choice and its reason). Saves nothing.
 */
async function checkRoleTabs(page: Page, screen: string, { resourcesFixed = false } = {}) {
  await page.getByRole("tab", { name: "Role Info" }).click();
  await expect(page.getByLabel("Role Name")).toBeVisible();
  await expectAccessible(page, `${screen}: Role Info`);

  await page.getByRole("tab", { name: "Role Resources" }).click();
  if (resourcesFixed) {
    await expect(page.getByLabel("Resource Access")).toBeDisabled();
    await expect(page.getByRole("note").filter({ hasText: "You cannot change your own role." })).toBeVisible();
  } else {
    await page.getByLabel("Resource Access").selectOption({ label: "Custom" });
    await expect(page.getByRole("tree", { name: "Role Resources" })).toBeVisible();
  }
  await expectAccessible(page, `${screen}: Role Resources`);

  await page.getByRole("tab", { name: "Role Users" }).click();
  await expect(page.getByRole("table", { name: "Role Users" })).toBeVisible();
  await expectAccessible(page, `${screen}: Role Users`);
}
