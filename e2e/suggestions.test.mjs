// Browser tests of the suggestion closed loop, through every role, in
// headless Chromium: a deputy drafts and submits, staff accept and assign,
// the unit contacts the deputy and replies, the unit head and the government
// leader sign, the deputy is dissatisfied, the unit handles again, the deputy
// is satisfied and the item closes. And a unit sends an item back for staff
// to reassign.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, login, shot } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function as(user, fn) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, server.url, user, 'Demo@2026');
  await page.waitForURL(server.url + '/');
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

async function post(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

// Saves a draft and submits it from its page, or (direct) submits from the form.
async function draftAndSubmit(title, direct = false) {
  return as('deputy', async (page) => {
    await page.goto(server.url + '/suggestions/new');
    await page.fill('#f-title', title);
    await page.fill('#f-content', '建议对该路段进行改造，方便群众出行。');
    await post(page, direct ? '#submit-now' : '#save-draft');
    const id = page.url().match(/\/suggestions\/(\d+)$/)[1];
    if (!direct) await post(page, '#submit-suggestion');
    assert.match(await page.textContent('#state'), /待审核/);
    return id;
  });
}

async function acceptAndAssign(id, unit) {
  await as('staff', async (page) => {
    await page.goto(`${server.url}/suggestions/${id}`);
    await post(page, '#accept');
    await page.selectOption('#assign select[name=unit_0]', { label: unit });
    await post(page, '#assign-submit');
    assert.match(await page.textContent('#item-state'), /办理中/);
    assert.match(await page.textContent('.alert.ok'), /已交办/);
  });
}

// The whole 2027 arrangement (test dates, not the State Council's notice).
const YEAR_2027 = '元旦 2027-01-01 2027-01-01\n春节 2027-02-05 2027-02-12\n清明节 2027-04-05 2027-04-05\n劳动节 2027-05-01 2027-05-05\n端午节 2027-06-09 2027-06-09\n中秋节 2027-09-15 2027-09-15\n国庆节 2027-10-01 2027-10-07';

async function replyAndSign(id, text) {
  await as('handler', async (page) => {
    await page.goto(`${server.url}/suggestions/${id}`);
    // Open by itself while no contact is recorded (the reply form says one is needed).
    const contact = page.locator('.assignment details:has(summary:has-text("登记沟通情况"))');
    if (!(await contact.evaluate((d) => d.open))) await page.click('.assignment summary:has-text("登记沟通情况")');
    await page.fill('.assignment input[name=participants]', '局长、领衔代表');
    await page.fill('.assignment textarea[name=summary]', '实地查看路段，听取代表意见');
    await post(page, '.assignment form[action$="/contacts"] button[type=submit]');
    await page.fill('.assignment form[action$="/reply"] textarea[name=text]', text);
    await page.selectOption('.assignment form[action$="/reply"] select[name=result_category]', { index: 2 });
    await post(page, '#submit-reply');
    assert.match(await page.textContent('.assignment .badge'), /待单位负责人签发/);
  });
  await as('head', async (page) => {
    await page.goto(`${server.url}/suggestions/${id}`);
    await post(page, '.signoff button[id^=approve-]');
  });
  await as('govleader', async (page) => {
    await page.goto(server.url + '/work');
    assert.match(await page.textContent('#queue-signoff + .table-wrap'), /城关镇|路段|公路/);
    await page.goto(`${server.url}/suggestions/${id}`);
    await shot(page, 'signoff-leader');
    await post(page, '.signoff button[id^=approve-]');
  });
}

test('one suggestion from draft to closed through every role, with re-handling', async () => {
  const id = await draftAndSubmit('关于改造城关镇环城北路的建议');
  await acceptAndAssign(id, '县交通运输局');
  await replyAndSign(id, '经研究，该路段已列入明年改造计划。');
  // Dissatisfied: re-handling.
  await as('deputy', async (page) => {
    await page.goto(`${server.url}/suggestions/${id}`);
    assert.match(await page.textContent('#item-state'), /已答复/);
    // An evaluation starts unselected.
    assert.equal(await page.inputValue('#evaluate select[name=result]'), '');
    await page.selectOption('#evaluate select[name=attitude]', 'basically_satisfied');
    await page.selectOption('#evaluate select[name=result]', 'dissatisfied');
    await post(page, '#submit-evaluation');
    assert.match(await page.textContent('#action-error'), /不满意时请写明理由/);
    // What was chosen is kept.
    assert.equal(await page.inputValue('#evaluate select[name=result]'), 'dissatisfied');
    await page.fill('#evaluate textarea[name=comment]', '改造时间太晚');
    await post(page, '#submit-evaluation');
    assert.match(await page.textContent('#item-state'), /第 2 轮/);
  });
  await replyAndSign(id, '经再次研究，提前到今年年底前完成改造。');
  await as('deputy', async (page) => {
    await page.goto(`${server.url}/suggestions/${id}`);
    await page.selectOption('#evaluate select[name=attitude]', 'satisfied');
    await page.selectOption('#evaluate select[name=result]', 'satisfied');
    await post(page, '#submit-evaluation');
    assert.match(await page.textContent('#item-state'), /已办结/);
    const timeline = await page.textContent('#timeline');
    for (const step of ['交办', '办前沟通', '提交答复', '签发答复', '签批答复', '代表测评', '进入重办', '办结']) {
      assert.ok(timeline.includes(step), `timeline lacks ${step}`);
    }
    await shot(page, 'suggestion-closed');
  });
  // The deputy's page works on a phone.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await context.newPage();
  await login(phone, server.url, 'deputy', 'Demo@2026');
  await phone.waitForURL(server.url + '/');
  await phone.goto(`${server.url}/suggestions/${id}`);
  await shot(phone, 'suggestion-phone');
  await context.close();
});

test('a unit sends an item back and staff reassign it', async () => {
  const id = await draftAndSubmit('关于解决龙潭镇饮水困难的建议', true);
  await acceptAndAssign(id, '县交通运输局');
  await as('handler', async (page) => {
    await page.goto(`${server.url}/suggestions/${id}`);
    await page.fill('form[action^="/assignments/"][action$="/return"] input[name=reason]', '饮水工程属水务部门职责');
    page.once('dialog', (d) => d.accept());
    await post(page, 'form[action^="/assignments/"][action$="/return"] button[type=submit]');
    assert.match(await page.textContent('.assignment .badge'), /已退回/);
  });
  await as('staff', async (page) => {
    await page.goto(`${server.url}/suggestions/${id}`);
    await page.selectOption('form[action^="/assignments/"][action$="/reassign"] select[name=unit_id]', { label: '县水务局' });
    await post(page, 'form[action^="/assignments/"][action$="/reassign"] button[type=submit]');
    const text = await page.textContent('main');
    assert.match(text, /县水务局/);
    assert.match(await page.textContent('#timeline'), /退回交办[\s\S]*重新交办/);
  });
});

test('assigned today with no 2027 arrangement, the deadline is provisional, and computed again once 2027 is entered', async () => {
  // Today the three-month deadline falls in 2027, whose arrangement is not entered.
  const id = await draftAndSubmit('关于增设龙潭镇公交站点的建议', true);
  await acceptAndAssign(id, '县交通运输局');
  await as('staff', async (page) => {
    await page.goto(`${server.url}/suggestions/${id}`);
    const card = await page.textContent('.assignment');
    assert.match(card, /暂定/);
    assert.match(card, /2027 年节假日安排尚未发布/);
    await shot(page, 'deadline-provisional');
  });
  await as('admin', async (page) => {
    await page.goto(server.url + '/');
    assert.match(await page.textContent('main'), /2027 年的节假日安排尚未录入/);
    await page.goto(server.url + '/calendar');
    // Refused without 除夕, and what was typed stays.
    await page.fill('#f-year', '2027');
    await page.fill('#f-source', '测试用安排（非官方）');
    await page.fill('#f-rest', YEAR_2027.replace('春节 2027-02-05', '春节 2027-02-06'));
    await post(page, 'form[method=post][action="/calendar"] button[type=submit]');
    assert.match(await page.textContent('main'), /缺少法定节假日/);
    assert.match(await page.inputValue('#f-rest'), /春节 2027-02-06/);
    await page.fill('#f-rest', YEAR_2027);
    await post(page, 'form[method=post][action="/calendar"] button[type=submit]');
    assert.match(await page.textContent('.alert.ok'), /已录入 2027 年节假日安排/);
    await shot(page, 'calendar-entered');
  });
  await as('staff', async (page) => {
    await page.goto(`${server.url}/suggestions/${id}`);
    assert.doesNotMatch(await page.textContent('.assignment'), /暂定/);
  });
});

test('staff tick items on a desktop list, confirm with the count, and only those are accepted', async () => {
  const a = await draftAndSubmit('关于整治城关镇占道经营的建议', true);
  const b = await draftAndSubmit('关于增设城关镇公共厕所的建议', true);
  await as('staff', async (page) => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto(server.url + '/suggestions?state=submitted');
    await page.check(`input[name=ids][value="${a}"]`);
    assert.match(await page.textContent('[data-count=ids]'), /^1$/);
    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); d.accept(); });
    await post(page, '#batch button[type=submit]');
    assert.match(asked, /所选的 1 件/);
    assert.match(await page.textContent('.alert.ok'), /已受理 1 件/);
    assert.ok(!page.url().includes('/accept'), 'the address bar is not left on the POST');
    await shot(page, 'batch-accepted');
    await page.goto(`${server.url}/suggestions/${b}`);
    assert.match(await page.textContent('#state'), /待审核/);
  });
});

test('a refused reply keeps its text, and the form said beforehand that a contact is needed', async () => {
  const id = await draftAndSubmit('关于修缮龙潭镇中心小学校舍的建议', true);
  await acceptAndAssign(id, '县交通运输局');
  await as('handler', async (page) => {
    await page.goto(`${server.url}/suggestions/${id}`);
    assert.match(await page.textContent('.assignment .alert.warn'), /答复前须至少与/);
    const text = '经研究，已将该校舍列入维修计划。';
    await page.fill('.assignment form[action$="/reply"] textarea[name=text]', text);
    await page.selectOption('.assignment form[action$="/reply"] select[name=result_category]', { index: 2 });
    await post(page, '#submit-reply');
    assert.match(await page.textContent('#action-error'), /请先登记沟通情况/);
    assert.equal(await page.inputValue('.assignment form[action$="/reply"] textarea[name=text]'), text);
    await shot(page, 'reply-kept');
  });
});

test('staff merge by typing the number they see and picking it from the list', async () => {
  const target = await draftAndSubmit('关于治理龙潭河水污染的建议', true);
  const dup = await draftAndSubmit('关于清理龙潭河垃圾的建议', true);
  await as('staff', async (page) => {
    await page.goto(`${server.url}/suggestions/${target}`);
    const number = (await page.textContent('main .badge:has-text("号")')).match(/第 (\d+) 号/)[1];
    await page.goto(`${server.url}/suggestions/${dup}`);
    await page.fill('#f-into', `第${number}号`);
    await page.waitForSelector('.picker-list li[role=option]');
    await shot(page, 'merge-picker');
    await page.click('.picker-list li[role=option]');
    page.once('dialog', (d) => d.accept());
    await post(page, 'form[action$="/do/merge"] button[type=submit]');
    assert.match(await page.textContent('.alert.ok'), /已并案/);
    assert.match(await page.textContent('#merged-into'), new RegExp(`第 ${number} 号`));
  });
});

test('a deputy on a phone finds co-signers by name', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await login(page, server.url, 'deputy', 'Demo@2026');
  await page.waitForURL(server.url + '/');
  await page.goto(server.url + '/suggestions/new');
  await page.fill('#f-title', '关于建设城关镇老年活动中心的建议');
  await page.fill('#f-content', '建议利用闲置校舍建设老年活动中心。');
  await post(page, '#save-draft');
  await page.fill('#f-cosigners', '王');
  await page.waitForSelector('.picker-list li[role=option]');
  await page.click('.picker-list li[role=option]');
  assert.equal(await page.locator('.picker-chosen .chip').count(), 1);
  await shot(page, 'cosigner-picker-phone');
  await post(page, 'form[action$="/invite"] button[type=submit]');
  assert.match(await page.textContent('.alert.ok'), /已向 1 位代表发出附议邀请/);
  assert.match(await page.textContent('ul.signers'), /撤回邀请/);
  await shot(page, 'invited-phone');
  await context.close();
});

test('a deputy on a phone: home leads with 提出建议 and a notice; the motion fields appear only for a motion', async () => {
  // Staff post a notice to deputies on a desktop.
  await as('staff', async (page) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(server.url + '/announcements');
    await page.fill('#a-title', '关于闭会期间提交建议的通知');
    await page.fill('#a-body', '请各位代表于本月底前通过平台提交建议。');
    await post(page, '#announcement-form button[type=submit]');
    assert.match(await page.textContent('.alert.ok'), /通知公告已发布/);
    await shot(page, 'announcements-staff-desktop');
  });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await login(page, server.url, 'deputy', 'Demo@2026');
  await page.waitForURL(server.url + '/');
  assert.match(await page.textContent('a.button.lead'), /提出建议/);
  assert.match(await page.textContent('#notices'), /关于闭会期间提交建议的通知/);
  assert.match(await page.textContent('.stats'), /待测评的答复/);
  await shot(page, 'deputy-home-phone');
  await page.click('a.button.lead');
  await page.waitForURL(server.url + '/suggestions/new');
  assert.equal(await page.isVisible('#f-grounds'), false, 'no 案据 for a suggestion');
  await page.selectOption('#f-kind', 'motion');
  assert.equal(await page.isVisible('#f-grounds'), true, '案据 shows for a motion');
  await shot(page, 'motion-form-phone');
  await page.selectOption('#f-kind', 'suggestion');
  assert.equal(await page.isVisible('#f-grounds'), false);
  await context.close();
});

test('staff find a unit by typing part of its name in the assignment form', async () => {
  await as('staff', async (page) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(server.url + '/suggestions?state=accepted');
    const filter = page.locator('input[data-filter-select=unit_0]');
    await filter.fill('交通');
    const shown = await page.$$eval('select[name=unit_0] option', (os) =>
      os.filter((o) => !o.hidden && o.value !== '').map((o) => o.textContent));
    assert.deepEqual(shown, ['县交通运输局']);
    assert.equal(await page.$eval('select[name=unit_0]', (s) => s.selectedOptions[0].textContent), '县交通运输局',
      'the one match is chosen');
    await shot(page, 'unit-search-desktop');
  });
});
