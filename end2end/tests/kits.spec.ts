import { expect, test } from "@playwright/test";
import * as fs from "fs";
import { ADMIN_PASSWORD, AdminPanel, open, unique } from "./fixtures";

test("a grid pages by cursor and remembers its page size, sort and columns in this browser", async ({ page }) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await admin.go("All Customers");
  const grid = page.getByRole("table", { name: "Customers" });
  await expect(grid).toBeVisible();
  const pages = page.getByRole("navigation", { name: "Pages" });

  // The demo data has more than one page of 20: next, previous and first by cursor in the URL.
  const firstId = await grid.locator("tbody tr").first().locator("td").first().textContent();
  await pages.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(grid.locator("tbody tr").first().locator("td").first()).not.toHaveText(firstId ?? "");
  await pages.getByRole("link", { name: "Previous" }).click();
  await expect(grid.locator("tbody tr").first().locator("td").first()).toHaveText(firstId ?? "");

  await pages.getByRole("link", { name: "30", exact: true }).click();
  await expect(page).toHaveURL(/limit=30/);
  await grid.getByRole("link", { name: "Email" }).click();
  await expect(page).toHaveURL(/sort=email/);
  await expect(grid.getByRole("columnheader", { name: "Email" })).toHaveAttribute("aria-sort", "ascending");
  await page.getByText("Columns", { exact: true }).click();
  await page.getByRole("checkbox", { name: "Group", exact: true }).uncheck();
  await expect(grid.getByRole("columnheader", { name: "Group" })).toBeHidden();

  // Opened again without any choice in the URL, the grid applies the remembered ones.
  await open(page, "/admin/customers");
  await expect(page).toHaveURL(/limit=30/);
  await expect(page).toHaveURL(/sort=email/);
  await expect(grid.getByRole("columnheader", { name: "Email" })).toHaveAttribute("aria-sort", "ascending");
  await expect(grid.getByRole("columnheader", { name: "Group" })).toBeHidden();
  await expect(grid.locator("tbody tr")).toHaveCount(30);
});

test("the CSV export downloads every customer the grid's filter finds", async ({ page }) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await open(page, "/admin/customers?search=veronica&limit=20");
  const count = await page.locator(".grid-count").textContent();
  const found = Number((count ?? "").match(/(\d+) records? found/)?.[1]);
  expect(found).toBeGreaterThan(0);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const csv = fs.readFileSync((await download.path()) as string, "utf8").trim().split("\n");
  expect(csv[0]).toBe("ID,First Name,Last Name,Email,Group,Web Site,Customer Since,Status");
  expect(csv.length - 1).toBe(found);
  expect(csv.slice(1).every((line) => line.split(",")[1] === "Veronica")).toBe(true);
});

test("a field the server refuses shows its message next to it", async ({ page }) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await admin.go("All Users");
  await page.getByRole("link", { name: "Add New User" }).click();
  await page.getByLabel("User Name").fill(`typo.${unique()}`);
  await page.getByLabel("First Name").fill("Typo");
  await page.getByLabel("Last Name").fill("Agent");
  // The browser accepts this address; the server wants a dotted domain.
  await page.getByLabel("Email").fill("typo@localhost");
  await page.getByLabel("Password", { exact: true }).fill("Typo-Passw0rd");
  await page.getByLabel("Password Confirmation").fill("Typo-Passw0rd");
  await page.getByLabel("Role").selectOption({ label: "Administrators" });
  await page.getByLabel("Your Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Save User" }).click();
  const email = page.getByLabel("Email");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription(/valid email address/);
  await expect(page.getByRole("alert")).toContainText("valid email address");
  await expect(page.getByLabel("First Name")).not.toHaveAttribute("aria-invalid", "true");
});
