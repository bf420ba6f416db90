import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, AdminPanel, expectAccessible, unique } from "./fixtures";

// System > Integrations: a token for the JSON API, its secret shown once, then revoked.
test("an admin makes an integration token, uses it once, and revokes it", async ({ page, request }) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await admin.go("Integrations");
  await expect(page.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();

  const name = `Helpdesk ${unique()}`;
  await page.getByLabel("Token Name").fill(name);
  await page.getByLabel("Admin User").selectOption({ label: "admin (Store Admin)" });
  await page.getByLabel("Expires After").selectOption({ label: "30 days" });
  await page.getByLabel("Your Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Create Token" }).click();

  await expect(page.getByText("Copy it now: it is not shown again.")).toBeVisible();
  const secret = (await page.getByLabel("Your new token").textContent()) ?? "";
  expect(secret).toMatch(/^sa_[0-9a-f]{64}$/);
  const api = (token: string) => request.get("/api/v1/webhooks", { headers: { authorization: `Bearer ${token}` } });
  expect((await api(secret)).status()).toBe(200);

  const tokens = page.getByRole("table", { name: "Integration Tokens" });
  const row = tokens.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Active");
  await expect(row).not.toContainText(secret);
  await expectAccessible(page, "System > Integrations");

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(page.getByText("You revoked the token.")).toBeVisible();
  await expect(row).toContainText("Revoked");
  const refused = await api(secret);
  expect(refused.status()).toBe(401);
  expect((await refused.json()).code).toBe("token_revoked");
});
