import { expect, Page, test } from "@playwright/test";
import { expectAccessible, open, Storefront, unique } from "./fixtures";

// The shopper's side of the store: browse, add to the cart, sign in (the guest cart merges),
// change a quantity, check out with a new address and find the order under My Orders.

test.describe.configure({ timeout: 120_000 });

/** The cards of the category page open now whose `Add to Cart` can be pressed. */
function inStockCards(page: Page) {
  return page.locator(".product-card").filter({ has: page.getByRole("button", { name: /^Add to Cart /, disabled: false }) });
}

function miniCart(page: Page) {
  return page.getByRole("link", { name: /^My Cart:/ });
}

test("a guest shops, signs in, changes a quantity, checks out and sees the order under My Orders", async ({ page }) => {
  const email = `shopper-${unique()}@example.com`;
  const password = "Shop-Passw0rd";
  const store = new Storefront(page);
  await store.register("Mei", "Lin", email, password);
  await expect(page.getByRole("heading", { name: "My Account" })).toBeVisible();
  await page.getByRole("button", { name: "Sign Out" }).click();
  await expect(page.getByRole("link", { name: "Sign In" })).toBeVisible();

  // A guest adds one product from a category page and two of another from its product page.
  await open(page, "/category/women-tops");
  await expect(page.getByRole("heading", { name: "Tops", level: 1 })).toBeVisible();
  const first = inStockCards(page).first();
  const firstName = (await first.locator(".product-name").innerText()).trim();
  await first.getByRole("button", { name: `Add to Cart ${firstName}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `You added ${firstName} to your shopping cart.` })).toBeVisible();
  await expect(miniCart(page)).toHaveAccessibleName(/^My Cart: 1 item,/);

  const second = inStockCards(page).nth(1);
  const secondName = (await second.locator(".product-name").innerText()).trim();
  await second.getByRole("link", { name: secondName }).click();
  await expect(page.getByRole("heading", { name: secondName, level: 1 })).toBeVisible();
  await page.getByLabel("Qty").fill("2");
  await page.getByRole("button", { name: `Add to Cart ${secondName}` }).click();
  await expect(miniCart(page)).toHaveAccessibleName(/^My Cart: 3 items/);

  // Signing in merges the guest cart into the (empty) customer cart.
  await store.signIn(email, password);
  await expect(page.getByRole("heading", { name: "My Account" })).toBeVisible();
  await expect(miniCart(page)).toHaveAccessibleName(/^My Cart: 3 items/);

  await miniCart(page).click();
  await expect(page.getByRole("heading", { name: "Shopping Cart" })).toBeVisible();
  await expectAccessible(page, "the shopping cart");
  await page.getByLabel(`Quantity of ${firstName}`).fill("2");
  const row = page.getByRole("row").filter({ has: page.getByLabel(`Quantity of ${firstName}`) });
  await row.getByRole("button", { name: "Update" }).click();
  await expect(miniCart(page)).toHaveAccessibleName(/^My Cart: 4 items/);

  await page.getByRole("link", { name: "Proceed to Checkout" }).click();
  await expect(page.getByRole("heading", { name: "Checkout" })).toBeVisible();
  await expectAccessible(page, "the checkout");
  await page.getByLabel("First Name").fill("Mei");
  await page.getByLabel("Last Name").fill("Lin");
  await page.getByLabel("Street Address").fill("7 Xinyi Road");
  await page.getByLabel("City").fill("Taipei");
  await page.getByLabel("Country").selectOption({ label: "Taiwan" });
  await page.getByLabel("Phone Number").fill("02-1234-5678");
  await expect(page.getByLabel("Flat Rate", { exact: false })).toBeChecked();
  await expect(page.getByLabel("Check / Money order")).toBeChecked();
  await page.getByRole("button", { name: "Place Order" }).click();

  await expect(page.getByRole("heading", { name: "Thank you for your purchase!" })).toBeVisible();
  const numberText = await page.getByText(/^Your order number is: \d+\.$/).innerText();
  const number = numberText.match(/(\d+)/)![1];
  await expect(miniCart(page)).toHaveAccessibleName(/^My Cart: 0 items/);
  await expectAccessible(page, "the order success page");

  await page.getByRole("link", { name: "My Account" }).click();
  await page.getByRole("link", { name: "My Orders" }).click();
  await expect(page.getByRole("heading", { name: "My Orders" })).toBeVisible();
  await expect(page.getByRole("cell", { name: number })).toBeVisible();
  await expectAccessible(page, "My Orders");
  await page.getByRole("link", { name: `View order ${number}` }).click();
  await expect(page.getByRole("heading", { name: `Order # ${number}` })).toBeVisible();
  await expect(page.getByRole("cell", { name: firstName })).toBeVisible();
  await expect(page.getByRole("cell", { name: secondName })).toBeVisible();
  await expectAccessible(page, "an order's page");

  // The new address was saved in the Address Book as the default.
  await open(page, "/customer/address");
  await expect(page.getByRole("heading", { name: "Address Book" })).toBeVisible();
  await expect(page.getByText("Default Shipping Address")).toBeVisible();
  await expectAccessible(page, "the Address Book");
  await page.getByRole("link", { name: "Add New Address" }).click();
  await expect(page.getByRole("heading", { name: "Add New Address" })).toBeVisible();
  await expectAccessible(page, "the new address form");
});

test("the storefront's shopping pages fit a phone and a desktop, with screenshots", async ({ page }) => {
  const email = `layout-${unique()}@example.com`;
  await new Storefront(page).register("Ada", "Lovelace", email, "Layout-Passw0rd");
  await expect(page.getByRole("heading", { name: "My Account" })).toBeVisible();
  await open(page, "/category/gear");
  await inStockCards(page).first().getByRole("button", { name: /^Add to Cart / }).click();
  await expect(miniCart(page)).toHaveAccessibleName(/^My Cart: 1 item,/);
  const product = await inStockCards(page).first().locator(".product-name").getAttribute("href");
  const pages: [string, string, string][] = [
    ["home", "/", "Home Page"],
    ["category", "/category/gear", "Gear"],
    ["product", product!, ""],
    ["cart", "/checkout/cart", "Shopping Cart"],
    ["checkout", "/checkout", "Checkout"],
  ];
  for (const size of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(size);
    for (const [name, path, heading] of pages) {
      await open(page, path);
      if (heading) await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
      await expect(page.getByText(/^(Loading…|載入中…)$/)).toHaveCount(0);
      // Nothing sticks out sideways: the page is no wider than the window.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect.soft(overflow, `${name} at ${size.width} px scrolls sideways`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `../docs/screenshots/store-${name}-${size.width}.png`, fullPage: true });
    }
  }
});
