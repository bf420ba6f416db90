import { expect, Page } from "@playwright/test";
import { ADMIN_PASSWORD } from "../playwright.config";

export { ADMIN_PASSWORD };

/** Opens a page and waits until it is hydrated (interactive). */
export async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator("body[data-hydrated]").waitFor();
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
