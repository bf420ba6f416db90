import { expect, Page, test } from "@playwright/test";
import { ADMIN_PASSWORD, AdminPanel, hydrated, expectAccessible, open, openCustomer, setFeature, Storefront, unique } from "./fixtures";

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
  await expect(page.getByRole("cell", { name: number, exact: true })).toBeVisible();
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

  await open(page, "/customer/account");
  await page.getByRole("link", { name: "Delete Account" }).click();
  await expect(page.getByRole("heading", { name: "Delete Account" })).toBeVisible();
  await expectAccessible(page, "Delete Account");
});

test("the storefront's shopping pages fit a phone and a desktop, with screenshots", async ({ page }) => {
  const email = `layout-${unique()}@example.com`;
  await new Storefront(page).register("Ada", "Lovelace", email, "Layout-Passw0rd");
  await expect(page.getByRole("heading", { name: "My Account" })).toBeVisible();
  await open(page, "/category/bags");
  await inStockCards(page).first().getByRole("button", { name: /^Add to Cart / }).click();
  await expect(miniCart(page)).toHaveAccessibleName(/^My Cart: 1 item,/);
  const product = await inStockCards(page).first().locator(".product-name").getAttribute("href");
  const pages: [string, string, string][] = [
    ["home", "/", "Home Page"],
    ["category", "/category/bags", "Bags"],
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

// Known to fail: the header moves when the private parts arrive (cumulative layout shift 0.055
// at 1280 px, measured); a first grid layout of the header made it worse (0.22). Fixing it is
// issue 24's item 5, which keeps this check; remove `fixme` with the fix.
test.fixme("the greeting and the mini cart fill in after hydration without moving the page", async ({ page }) => {
  const email = `shift-${unique()}@example.com`;
  await new Storefront(page).register("Grace", "Hopper", email, "Shift-Passw0rd");
  await open(page, "/category/bags");
  await inStockCards(page).first().getByRole("button", { name: /^Add to Cart / }).click();
  await expect(miniCart(page)).toHaveAccessibleName(/^My Cart: 1 item,/);
  for (const size of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(size);
    // The home and category pages come from the page cache without the shopper's name and
    // cart; both arrive from the private context once the page has hydrated.
    for (const path of ["/", "/category/bags"]) {
      await open(page, path);
      await expect(page.getByText(/^Welcome, Grace/)).toBeVisible();
      await expect(miniCart(page)).toHaveAccessibleName(/^My Cart: 1 item,/);
      const shift = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let total = 0;
            new PerformanceObserver((list) => {
              for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
                if (!e.hadRecentInput) total += e.value;
              }
            }).observe({ type: "layout-shift", buffered: true });
            setTimeout(() => resolve(total), 300);
          }),
      );
      expect.soft(shift, `cumulative layout shift on ${path} at ${size.width} px`).toBeLessThan(0.01);
    }
  }
});

test("an agent assists a Retailer customer: Retailer prices, an order placed, and the shopper sees it", async ({
  page,
  browser,
}) => {
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  await setFeature(page, true);

  // The shopper registers, consenting, in a browser of their own.
  const own = await (await browser.newContext()).newPage();
  const email = `retail-${unique()}@example.com`;
  const password = "Retail-Passw0rd1";
  await new Storefront(own).register("Rita", "Tailor", email, password);
  await expect(own.getByRole("heading", { name: "My Account" })).toBeVisible();
  await open(own, "/customer/account/edit");
  await own.getByLabel("Allow remote shopping assistance").check();
  await own.getByRole("button", { name: "Save", exact: true }).click();
  await expect(own.getByRole("status")).toContainText("You saved the account information.");

  // The admin moves them into the Retailer group and opens the store as them.
  await openCustomer(page, email);
  await page.getByLabel("Group").selectOption({ label: "Retailer" });
  await page.getByRole("button", { name: "Save Customer" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the customer.");
  await page.getByRole("button", { name: "Login as Customer" }).click();
  const dialog = page.getByRole("dialog", { name: "You are about to Login as Customer" });
  const [tab] = await Promise.all([page.waitForEvent("popup"), dialog.getByRole("button", { name: "Login as Customer" }).click()]);
  await tab.waitForURL(/\/customer\/account$/);
  await hydrated(tab);
  const banner = tab.getByRole("region", { name: "Login as Customer" });

  // Retailer prices: the product page shows the regular price beside the group's.
  await open(tab, "/category/women-bottoms");
  await expect(banner).toBeVisible();
  const card = inStockCards(tab).first();
  const name = (await card.locator(".product-name").innerText()).trim();
  await card.getByRole("link", { name }).click();
  await expect(tab.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(tab.getByText("Regular Price")).toBeVisible();
  await expect(banner).toBeVisible();
  await tab.getByRole("button", { name: `Add to Cart ${name}` }).click();
  await expect(miniCart(tab)).toHaveAccessibleName(/^My Cart: 1 item,/);

  await open(tab, "/checkout");
  await expect(tab.getByRole("heading", { name: "Checkout" })).toBeVisible();
  await expect(banner).toBeVisible();
  await tab.getByLabel("First Name").fill("Rita");
  await tab.getByLabel("Last Name").fill("Tailor");
  await tab.getByLabel("Street Address").fill("1 Loom Lane");
  await tab.getByLabel("City").fill("Taipei");
  await tab.getByLabel("Country").selectOption({ label: "Taiwan" });
  await tab.getByLabel("Phone Number").fill("02-5555-0101");
  await tab.getByRole("button", { name: "Place Order" }).click();
  await expect(tab.getByRole("heading", { name: "Thank you for your purchase!" })).toBeVisible();
  await expect(banner).toBeVisible();
  const number = (await tab.getByText(/^Your order number is: \d+\.$/).innerText()).match(/(\d+)/)![1];
  await banner.getByRole("button", { name: "Close Session" }).click();
  await expect(tab.getByRole("heading", { name: "You are signed out" })).toBeVisible();

  // The shopper sees the order, the comment meant for them, and the session's history.
  await open(own, "/sales/order/history");
  await own.getByRole("link", { name: `View order ${number}` }).click();
  await expect(own.getByRole("heading", { name: `Order # ${number}` })).toBeVisible();
  await expect(own.getByText("Order Placed by Store Administrator")).toBeVisible();
  await expect(own.getByText(/using Login as Customer/)).toHaveCount(0);
  await open(own, "/customer/account");
  const history = own.getByRole("region", { name: "Assistance History" });
  await expect(history.getByRole("link", { name: `Order # ${number}` })).toBeVisible();
});
