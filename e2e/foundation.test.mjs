// Browser tests of the foundation, in headless Chromium through the real server:
// an administrator's forced password change, a roster import that fails on one
// bad row and then succeeds, masked phones in the roster, and an account locked
// after five wrong passwords.
//
// Run by scripts/test, which builds the binary and the fixtures first:
//   RENDA_BIN=target/debug/renda RENDA_FIXTURES=dir node --test e2e/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, login, shot } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true, admin: { username: 'root', password: 'Initial#2026' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a new administrator must change the initial password', async () => {
  const page = await browser.newPage();
  await login(page, server.url, 'root', 'Initial#2026');
  await page.waitForURL(/\/account\/password$/);
  assert.match(await page.textContent('main'), /首次登录或密码被重置后须先修改密码/);
  // Other pages send the account back here.
  await page.goto(server.url + '/admin/users');
  await page.waitForURL(/\/account\/password$/);
  // A weak password is refused with a message next to the field.
  await page.fill('#f-current', 'Initial#2026');
  await page.fill('#f-new', 'weakpass');
  await page.fill('#f-confirm', 'weakpass');
  await page.click('main form button[type=submit]');
  assert.match(await page.textContent('.field.invalid .error'), /至少 3 类/);
  await page.fill('#f-current', 'Initial#2026');
  await page.fill('#f-new', 'Stronger#2026');
  await page.fill('#f-confirm', 'Stronger#2026');
  await page.click('main form button[type=submit]');
  assert.match(await page.textContent('.alert.ok'), /密码已修改/);
  await page.goto(server.url + '/admin/users');
  assert.match(await page.textContent('h1'), /账号管理/);
  await shot(page, 'admin-users');
  await page.close();
});

test('importing a roster with one bad row imports nothing; the fixed file imports', async () => {
  const page = await browser.newPage();
  await login(page, server.url, 'staff', 'Demo@2026');
  await page.waitForURL(server.url + '/');
  await page.goto(server.url + '/deputies/import');
  await page.setInputFiles('#f-file', `${server.fixtures}/roster_bad.xlsx`);
  await page.click('form[enctype] button[type=submit]');
  await page.waitForSelector('#import-errors');
  const errors = await page.textContent('#import-errors');
  assert.match(errors, /第 3 行/);
  assert.match(errors, /身份证号/);
  assert.match(errors, /校验位不正确/);
  assert.match(await page.textContent('.alert.error'), /未导入任何数据/);
  await shot(page, 'import-errors');
  // Nothing was written.
  await page.goto(server.url + '/deputies?q=浏览器');
  assert.match(await page.textContent('#roster'), /没有符合条件的代表/);

  await page.goto(server.url + '/deputies/import');
  await page.setInputFiles('#f-file', `${server.fixtures}/roster_good.xlsx`);
  await page.click('form[enctype] button[type=submit]');
  await page.waitForSelector('#confirm-import');
  assert.match(await page.textContent('main'), /将新增 3 条/);
  await page.click('#confirm-import');
  await page.waitForSelector('.alert.ok');
  assert.match(await page.textContent('.alert.ok'), /新增 3 条/);

  // The roster shows them with masked phones only.
  await page.goto(server.url + '/deputies?q=浏览器');
  const roster = await page.textContent('#roster');
  assert.match(roster, /浏览器甲/);
  assert.match(roster, /137\*\*\*\*1111/);
  assert.doesNotMatch(roster, /13700001111/);
  await shot(page, 'roster-imported');
  await page.close();
});

test('the roster filters with htmx and works on a phone-sized screen', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await login(page, server.url, 'leader', 'Demo@2026');
  await page.waitForURL(server.url + '/');
  await page.goto(server.url + '/deputies');
  await page.selectOption('select[name=status]', 'terminated');
  await page.waitForURL(/status=terminated/);
  await page.waitForFunction(() => document.querySelectorAll('#roster tbody tr').length >= 1 && document.querySelector('#roster').textContent.includes('终止'));
  await shot(page, 'roster-phone');
  await context.close();
});

test('five wrong passwords lock the account', async () => {
  const page = await browser.newPage();
  for (let i = 1; i <= 5; i++) {
    await login(page, server.url, 'handler', 'Wrong#0000');
    await page.waitForSelector('.alert.error');
  }
  // Locked or not, a wrong password gets the same answer (no account probing).
  assert.match(await page.textContent('.alert.error'), /用户名或密码错误/);
  // The right password is refused while locked, and the lock explained.
  await login(page, server.url, 'handler', 'Demo@2026');
  await page.waitForSelector('.alert.error');
  assert.match(await page.textContent('.alert.error'), /账号已锁定/);
  await shot(page, 'locked');
  await page.close();
});
