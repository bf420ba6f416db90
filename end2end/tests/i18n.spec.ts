import { Browser, expect, Page, test } from "@playwright/test";
import { ADMIN_PASSWORD, AdminPanel, hydrated, expectAccessible, open, setFeature, unique } from "./fixtures";

// The main flows in Traditional Chinese (zh-Hant-TW), as a support agent in Taiwan and a
// shopper of the Chinese store view meet them, and screenshots of the key pages in both
// languages checked for clipped or overflowing text.

const AGENT_PASSWORD = "Agent-Passw0rd1";
const SHOPPER_PASSWORD = "Shopper-Passw0rd1";

/** A browser that asks for Traditional Chinese first, as one set up in Taiwan does. */
async function taiwaneseBrowser(browser: Browser) {
  return browser.newContext({ locale: "zh-TW", extraHTTPHeaders: { "Accept-Language": "zh-TW,zh;q=0.9" } });
}

/**
 * Text that does not fit its box: an element whose content is wider than it and is cut off
 * (overflow other than visible), or anything wider than the page. Returns a line per problem.
 */
async function clippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      problems.push(`the page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`);
    }
    const selector = "button, a, label, th, td, h1, h2, legend, p, span, dt, dd, summary, select, option, li";
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const style = getComputedStyle(el);
      if (style.display === "none" || el.offsetParent === null || !el.textContent?.trim()) continue;
      const clips = style.overflowX !== "visible" || style.textOverflow === "ellipsis";
      if (clips && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 60)}" is cut off`);
      }
      const box = el.getBoundingClientRect();
      if (box.right > window.innerWidth + 1 && style.position !== "fixed") {
        problems.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 60)}" runs past the window`);
      }
    }
    return problems;
  });
}

/** Screenshots `page` (attached to the report) and fails softly on clipped or overflowing text. */
async function checkLayout(page: Page, name: string) {
  await test.step(`${name}: nothing clipped or overflowing`, async () => {
    await expect(page.getByText(/^(Loading…|載入中…)$/)).toHaveCount(0);
    const shot = await page.screenshot({ fullPage: true });
    await test.info().attach(`${name}.png`, { body: shot, contentType: "image/png" });
    expect.soft(await clippedText(page), `clipped or overflowing text on ${name}`).toEqual([]);
  });
}

test("a support agent in Taiwan works in Traditional Chinese: sign-in, role, configuration, Login as Customer", async ({
  page,
  browser,
}) => {
  // The main admin (English) makes an agent who reads Traditional Chinese.
  const admin = new AdminPanel(page);
  await admin.signIn("admin", ADMIN_PASSWORD);
  const agent = `tw.agent.${unique()}`;
  await admin.go("All Users");
  await page.getByRole("link", { name: "Add New User" }).click();
  await page.getByLabel("User Name").fill(agent);
  await page.getByLabel("First Name").fill("Mei");
  await page.getByLabel("Last Name").fill("Chen");
  await page.getByLabel("Email").fill(`${agent}@example.com`);
  await page.getByLabel("Password", { exact: true }).fill(AGENT_PASSWORD);
  await page.getByLabel("Password Confirmation").fill(AGENT_PASSWORD);
  await page.getByLabel("Interface Locale").selectOption({ label: "Traditional Chinese (Taiwan)" });
  await page.getByLabel("Role").selectOption({ label: "Administrators" });
  await page.getByLabel("Your Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Save User" }).click();
  await expect(page.getByRole("status")).toContainText("You saved the user.");
  await admin.signOut();

  // The sign-in page follows the browser's language.
  const context = await taiwaneseBrowser(browser);
  const tw = await context.newPage();
  await open(tw, "/admin");
  await expect(tw.locator("html")).toHaveAttribute("lang", "zh-Hant-TW");
  await expect(tw.getByRole("heading", { name: "歡迎，請登入" })).toBeVisible();
  await checkLayout(tw, "admin sign-in (zh-Hant-TW)");
  await tw.getByLabel("使用者名稱").fill(agent);
  await tw.getByLabel("密碼").fill(AGENT_PASSWORD);
  await tw.getByRole("button", { name: "登入" }).click();
  const menu = tw.getByRole("navigation", { name: "管理選單" });
  await expect(menu).toBeVisible();
  await expectAccessible(tw, "dashboard (zh-Hant-TW)");

  // A role saved.
  await menu.getByRole("link", { name: "使用者角色", exact: true }).click();
  await tw.getByRole("link", { name: "新增角色" }).click();
  await tw.getByLabel("角色名稱").fill(`客服人員 ${unique()}`);
  await tw.getByLabel("您的密碼").fill(AGENT_PASSWORD);
  await tw.getByRole("tab", { name: "角色資源" }).click();
  await tw.getByRole("checkbox", { name: "允許以客戶身分登入" }).check();
  await expect(tw.getByRole("checkbox", { name: "以客戶身分登入", exact: true })).toBeChecked();
  await tw.getByRole("button", { name: "儲存角色" }).click();
  await expect(tw.getByRole("status")).toContainText("已儲存角色。");

  // Configuration saved: Login as Customer enabled.
  await menu.getByRole("link", { name: "組態設定", exact: true }).click();
  await tw.getByRole("link", { name: /以客戶身分登入$/ }).click();
  await expect(tw.getByRole("heading", { name: "以客戶身分登入" })).toBeVisible();
  const enable = tw.getByLabel("啟用以客戶身分登入");
  await tw.locator(".config-field").filter({ has: enable }).getByLabel("使用系統值").uncheck();
  await enable.selectOption({ label: "是" });
  await tw.getByRole("button", { name: "儲存設定" }).click();
  await expect(tw.getByRole("status")).toContainText("已儲存組態設定。");

  // A shopper of the Chinese store view registers and allows assistance on Account Information.
  const shopperContext = await taiwaneseBrowser(browser);
  const shop = await shopperContext.newPage();
  const email = `mei.${unique()}@example.com`;
  await open(shop, "/second_zh/customer/account/create");
  await expect(shop.locator("html")).toHaveAttribute("lang", "zh-Hant-TW");
  await checkLayout(shop, "registration (zh-Hant-TW)");
  await shop.getByLabel("名字").fill("美");
  await shop.getByLabel("姓氏").fill("林");
  await shop.getByLabel("電子郵件").fill(email);
  await shop.getByLabel("密碼", { exact: true }).fill(SHOPPER_PASSWORD);
  await shop.getByLabel("確認密碼").fill(SHOPPER_PASSWORD);
  await shop.getByRole("button", { name: "建立帳號" }).click();
  await expect(shop.getByRole("heading", { name: "我的帳號" })).toBeVisible();
  await open(shop, "/second_zh/customer/account/edit");
  await shop.waitForLoadState("networkidle");
  const consent = shop.getByLabel("允許遠端購物協助");
  await expect(shop.locator(".consent-tooltip")).toContainText("看到您所看到的畫面");
  await consent.check();
  await expectAccessible(shop, "Account Information (zh-Hant-TW)");
  await shop.getByRole("button", { name: "儲存" }).click();
  await expect(shop.getByRole("status")).toContainText("已儲存您的帳號資訊。");
  await open(shop, "/second_zh/customer/account/edit");
  await expect(consent).toBeChecked();
  await shopperContext.close();

  // Login as Customer started from the customer's page, with its dialog and the banner.
  await open(tw, `/admin/customers?search=${encodeURIComponent(email)}`);
  await tw.getByRole("table", { name: "客戶" }).getByRole("link", { name: "編輯" }).first().click();
  await expect(tw.getByLabel("電子郵件")).toHaveValue(email);
  await tw.waitForLoadState("networkidle");
  await tw.getByRole("button", { name: "以客戶身分登入" }).click();
  const dialog = tw.getByRole("dialog", { name: "您即將以客戶身分登入" });
  await expect(dialog).toContainText("將會影響客戶的實際資料");
  await expect(dialog.getByRole("button", { name: "取消" })).toBeVisible();
  const [tab] = await Promise.all([
    tw.waitForEvent("popup"),
    dialog.getByRole("button", { name: "以客戶身分登入" }).click(),
  ]);
  await tab.waitForURL(/\/second_zh\/customer\/account$/);
  await hydrated(tab);
  const banner = tab.getByRole("region", { name: "以客戶身分登入" });
  // A Chinese name as Chinese writes it: family name first, no space.
  await expect(banner).toContainText("您正以 林美 的身分連線到 Second Website");
  await expect(banner.getByRole("button", { name: "關閉工作階段" })).toBeVisible();
  await expectAccessible(tab, "My Account while assisted (zh-Hant-TW)");
  await banner.getByRole("button", { name: "關閉工作階段" }).click();
  await expect(tab.getByRole("heading", { name: "您已登出" })).toBeVisible();
  await tab.close();
  await context.close();
});

test("key pages in English and in Traditional Chinese fit their text, on a desktop and a phone", async ({
  browser,
}) => {
  // Twelve pages, each in a fresh browser context (nothing cached): the sign-in and
  // registration pages fetch their own chunks each time.
  test.setTimeout(90_000);
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    for (const [store, locale] of [
      ["", "en-US"],
      ["/second_zh", "zh-Hant-TW"],
    ]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      for (const path of ["/", "/customer/account/login", "/customer/account/create"]) {
        await open(page, `${store}${path}`);
        await expect(page.locator("html")).toHaveAttribute("lang", locale);
        await checkLayout(page, `${locale} ${store}${path} at ${viewport.width}px`);
      }
      await context.close();
    }
  }
  // The admin panel in both languages (the agent's language is the browser's on sign-in).
  for (const [accept, locale] of [
    ["en-US", "en-US"],
    ["zh-TW", "zh-Hant-TW"],
  ]) {
    const context = await browser.newContext({ locale: accept, extraHTTPHeaders: { "Accept-Language": accept } });
    const page = await context.newPage();
    await open(page, "/admin");
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    await checkLayout(page, `admin sign-in ${locale}`);
    await context.close();
  }
});

/** A language as its reader meets it: where to find things, by the names the pages give them. */
interface Language {
  locale: string;
  /** The browser's `Accept-Language`. */
  accept: string;
  /** The `Interface Locale` choice, as the English screen names it. */
  interfaceLocale: string;
  /** The path of a store view in this language. */
  store: string;
  shopper: { first: string; last: string; shownAs: string };
  words: {
    username: string;
    password: string;
    signIn: string;
    menu: string;
    roleResources: string;
    loginAsCustomer: string;
    customers: string;
    edit: string;
    dialog: string;
    connected: string;
    closeSession: string;
    firstName: string;
    lastName: string;
    email: string;
    confirmPassword: string;
    consent: string;
    createAccount: string;
    myAccount: string;
  };
}

const LANGUAGES: Language[] = [
  {
    locale: "en-US",
    accept: "en-US",
    interfaceLocale: "English (United States)",
    store: "",
    shopper: { first: "Lou", last: "Kim", shownAs: "Lou Kim" },
    words: {
      username: "Username",
      password: "Password",
      signIn: "Sign in",
      menu: "Admin menu",
      roleResources: "Role Resources",
      loginAsCustomer: "Login as Customer",
      customers: "Customers",
      edit: "Edit",
      dialog: "You are about to Login as Customer",
      connected: "You are connected as",
      closeSession: "Close Session",
      firstName: "First Name",
      lastName: "Last Name",
      email: "Email",
      confirmPassword: "Confirm Password",
      consent: "Allow remote shopping assistance",
      createAccount: "Create an Account",
      myAccount: "My Account",
    },
  },
  {
    locale: "zh-Hant-TW",
    accept: "zh-TW",
    interfaceLocale: "Traditional Chinese (Taiwan)",
    store: "/second_zh",
    shopper: { first: "美", last: "林", shownAs: "林美" },
    words: {
      username: "使用者名稱",
      password: "密碼",
      signIn: "登入",
      menu: "管理選單",
      roleResources: "角色資源",
      loginAsCustomer: "以客戶身分登入",
      customers: "客戶",
      edit: "編輯",
      dialog: "您即將以客戶身分登入",
      connected: "您正以",
      closeSession: "關閉工作階段",
      firstName: "名字",
      lastName: "姓氏",
      email: "電子郵件",
      confirmPassword: "確認密碼",
      consent: "允許遠端購物協助",
      createAccount: "建立帳號",
      myAccount: "我的帳號",
    },
  },
];

for (const { locale, accept, interfaceLocale, store, shopper, words } of LANGUAGES) {
  const pages = "dashboard, role resources, configuration, Login as Customer";
  test(`the key pages fit their text in ${locale}: ${pages}`, async ({ page, browser }) => {
    // Two sign-ins, a registration and an assistance session: more than the default 30 s.
    test.setTimeout(60_000);
    // The main admin enables the feature and adds an agent who reads this language.
    const admin = new AdminPanel(page);
    await admin.signIn("admin", ADMIN_PASSWORD);
    await setFeature(page, true);
    const agent = `agent.${locale}.${unique()}`;
    await admin.newUser(agent, AGENT_PASSWORD, "Administrators", ADMIN_PASSWORD, interfaceLocale);
    await admin.signOut();

    // A shopper of a store view in this language registers, allowing assistance.
    const reader = { locale: accept, extraHTTPHeaders: { "Accept-Language": accept } };
    const shopperContext = await browser.newContext(reader);
    const shop = await shopperContext.newPage();
    const email = `shopper.${unique()}@example.com`;
    await open(shop, `${store}/customer/account/create`);
    await shop.getByLabel(words.firstName).fill(shopper.first);
    await shop.getByLabel(words.lastName).fill(shopper.last);
    await shop.getByLabel(words.email).fill(email);
    await shop.getByLabel(words.password, { exact: true }).fill(SHOPPER_PASSWORD);
    await shop.getByLabel(words.confirmPassword).fill(SHOPPER_PASSWORD);
    await shop.getByLabel(words.consent).check();
    await shop.getByRole("button", { name: words.createAccount }).click();
    await expect(shop.getByRole("heading", { name: words.myAccount })).toBeVisible();
    await shopperContext.close();

    // The agent's admin panel.
    const context = await browser.newContext(reader);
    const tw = await context.newPage();
    await open(tw, "/admin");
    await tw.getByLabel(words.username).fill(agent);
    await tw.getByLabel(words.password).fill(AGENT_PASSWORD);
    await tw.getByRole("button", { name: words.signIn }).click();
    await expect(tw.getByRole("navigation", { name: words.menu })).toBeVisible();
    await expect(tw.locator("html")).toHaveAttribute("lang", locale);
    await checkLayout(tw, `dashboard (${locale})`);
    await open(tw, "/admin/system/roles/new");
    await tw.getByRole("tab", { name: words.roleResources }).click();
    await checkLayout(tw, `role resources (${locale})`);
    await open(tw, "/admin/config?section=login_as_customer");
    await expect(tw.getByRole("heading", { name: words.loginAsCustomer })).toBeVisible();
    await checkLayout(tw, `configuration (${locale})`);

    // Login as Customer: the dialog, then the shopper's My Account and Account Information.
    await open(tw, `/admin/customers?search=${encodeURIComponent(email)}`);
    await tw.getByRole("table", { name: words.customers }).getByRole("link", { name: words.edit }).first().click();
    await expect(tw.getByLabel(words.email)).toHaveValue(email);
    await tw.waitForLoadState("networkidle");
    await tw.getByRole("button", { name: words.loginAsCustomer }).click();
    const dialog = tw.getByRole("dialog", { name: words.dialog });
    await expect(dialog).toBeVisible();
    await checkLayout(tw, `Login as Customer dialog (${locale})`);
    const [tab] = await Promise.all([
      tw.waitForEvent("popup"),
      dialog.getByRole("button", { name: words.loginAsCustomer }).click(),
    ]);
    await tab.waitForURL(/\/customer\/account$/);
    await hydrated(tab);
    const banner = tab.getByRole("region", { name: words.loginAsCustomer });
    await expect(banner).toContainText(`${words.connected} ${shopper.shownAs} `);
    await checkLayout(tab, `My Account while assisted (${locale})`);
    await open(tab, `${store}/customer/account/edit`);
    await expect(tab.getByLabel(words.consent)).toBeChecked();
    await checkLayout(tab, `Account Information while assisted (${locale})`);
    await banner.getByRole("button", { name: words.closeSession }).click();
    await tab.close();
    await context.close();
  });
}
