// A standing-committee meeting in the browser, as staff, a member and a deputy
// use it: staff plan it with a handling report on the agenda and invite two
// deputies to 列席; a member signs in on a phone with the door's code; staff
// record the rest of the attendance and an open vote; the deputy's attendance
// appears in their record.
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

/// Today in Beijing, as the platform dates meetings.
function today() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

async function submit(page, form) {
  await Promise.all([page.waitForLoadState('load'), page.click(`${form} button[type=submit]`)]);
}

test('plan, 列席, sign in on a phone, vote, and the attendance record', async () => {
  const url = server.url;
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await login(phone, url, 'deputy', 'Demo@2026');
  await phone.waitForURL(url + '/');
  const deputyName = (await phone.textContent('.who')).replace(/人大代表$/, '').trim();

  const desk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Irreversible steps ask first; the clerk confirms each, and the question names the step.
  const asked = [];
  desk.on('dialog', (d) => { asked.push(d.message()); d.accept(); });
  await login(desk, url, 'staff', 'Demo@2026');
  await desk.waitForURL(url + '/');
  await desk.goto(url + '/meetings');
  await desk.selectOption('#f-body_id', { label: '清溪县人大常委会' });
  await desk.fill('#f-meeting_date', today());
  await desk.fill('#f-start_time', '09:00');
  await desk.fill('#f-place', '县人大常委会第一会议室');
  await submit(desk, 'form[action="/meetings#plan"]');
  await desk.waitForURL(/\/meetings\/\d+#agenda$/);
  assert.match(await desk.textContent('.alert.ok'), /已登记会议/);
  const meeting = desk.url().split('#')[0];
  assert.match(await desk.textContent('h1'), /清溪县十七届人大常委会第.+次会议/);

  // The agenda: a handling report, then an item put to a vote. A missing title is refused and the rest kept.
  await desk.click('#add-item summary');
  await desk.selectOption('#f-link_kind', 'suggestion_report');
  await desk.fill('#f-link_ref', '十七届人大五次会议代表建议办理情况报告');
  await desk.$eval('#f-title', (e) => e.removeAttribute('required'));
  await submit(desk, '#add-item');
  assert.match(await desk.textContent('.field.invalid .error'), /议题/);
  assert.equal(await desk.inputValue('#f-link_ref'), '十七届人大五次会议代表建议办理情况报告');
  await desk.fill('#f-title', '听取和审议县人民政府关于代表建议办理情况的报告');
  await submit(desk, '#add-item');
  assert.match(await desk.textContent('.alert.ok'), /已增加议题/);
  await desk.click('#add-item summary');
  await desk.fill('#f-title', '表决县人大常委会关于代表建议办理情况报告的审议意见');
  await submit(desk, '#add-item');
  assert.equal(await desk.locator('ol.agenda > li').count(), 2);

  // Two deputies invited to 列席: the demo deputy and the first who has not attended this term.
  const option = desk.locator('#f-deputy_id option', { hasText: deputyName }).first();
  await desk.selectOption('#f-deputy_id', await option.getAttribute('value'));
  await submit(desk, '#invite');
  assert.match(await desk.textContent('.alert.ok'), /已邀请列席/);
  await desk.selectOption('#f-deputy_id', { index: 1 });
  await submit(desk, '#invite');
  assert.equal(await desk.locator('#attending ~ ul > li').count(), 2);

  await Promise.all([desk.waitForLoadState('load'), desk.click('button:has-text("发出会议通知")')]);
  assert.match(await desk.textContent('.alert.ok'), /已发出会议通知/);
  assert.match(asked.at(-1), /发出会议通知？此操作不能撤回/);
  await desk.goto(meeting + '/door');
  const signInUrl = (await desk.textContent('.door .mono')).trim();
  assert.match(signInUrl, /\/m\/[a-z0-9]{20}$/);
  await shot(desk, 'meeting-door');

  // A member of the committee signs in on a phone, once.
  const member = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await login(member, url, 'member', 'Demo@2026');
  await member.waitForURL(url + '/');
  await member.goto(signInUrl);
  await Promise.all([member.waitForLoadState('load'), member.click('button.big')]);
  assert.match(await member.textContent('.alert.ok'), /签到成功（组成人员）/);
  await shot(member, 'meeting-sign-in-phone');
  // Opening the code again says so at once: no button to tap twice.
  await member.goto(signInUrl);
  assert.match(await member.textContent('main'), /无需重复签到/);
  assert.equal(await member.locator('button.big').count(), 0);

  // The invited deputy signs in too.
  await phone.goto(signInUrl);
  await Promise.all([phone.waitForLoadState('load'), phone.click('button.big')]);
  assert.match(await phone.textContent('.alert.ok'), /签到成功（列席）/);

  // The desk records twelve more members present and one on leave.
  await desk.goto(meeting);
  let marked = 0;
  for (let i = 0; marked < 13; i++) {
    const row = desk.locator('#attendance ~ .table-wrap tbody tr').nth(i);
    if ((await row.textContent()).includes('扫码签到')) continue;
    const form = row.locator('form');
    if (marked === 12) {
      await form.locator('select').selectOption('leave');
      await form.locator('input[name=reason]').fill('因公出差');
    }
    await Promise.all([desk.waitForLoadState('load'), form.locator('button').click()]);
    marked++;
  }
  assert.match(await desk.textContent('#attendance ~ p'), /出席 13 人，请假 1 人/);

  // The open vote: counts must add up to the 13 present; then it passes.
  const vote = desk.locator('ol.agenda > li').nth(1).locator('details');
  await vote.locator('summary').click();
  await vote.locator('input[name=yes]').fill('12');
  await vote.locator('input[name=no]').fill('0');
  await vote.locator('input[name=abstain]').fill('0');
  await vote.locator('input[name=not_voting]').fill('0');
  await Promise.all([desk.waitForLoadState('load'), vote.locator('button[type=submit]').click()]);
  assert.match(await desk.textContent('.alert.error'), /13 人/);
  const again = desk.locator('ol.agenda > li').nth(1).locator('details');
  assert.equal(await again.locator('input[name=yes]').inputValue(), '12');
  await again.locator('input[name=abstain]').fill('1');
  await Promise.all([desk.waitForLoadState('load'), again.locator('button[type=submit]').click()]);
  assert.match(await desk.textContent('.alert.ok'), /通过/);
  assert.match(await desk.textContent('ol.agenda'), /赞成 12、反对 0、弃权 1/);
  await Promise.all([desk.waitForLoadState('load'), desk.click('button:has-text("确认会议已召开")')]);
  assert.match(await desk.textContent('.alert.ok'), /已召开/);

  // The decision is issued on the item the vote passed, with its number, as a Word file.
  await desk.click('#issue summary');
  await desk.selectOption('#f-out-kind', 'decision');
  await desk.selectOption('#f-out-item', { index: 2 });
  await desk.fill('#f-out-prefix', '清常发');
  await desk.fill('#f-out-title', '关于代表建议办理情况报告审议意见的决定');
  await desk.fill('#f-out-body', '会议表决通过县人大常委会关于代表建议办理情况报告的审议意见。');
  await Promise.all([desk.waitForLoadState('load'), desk.click('#issue button[type=submit]')]);
  assert.match(await desk.textContent('.alert.ok'), /已印发，文号 清常发〔\d{4}〕\d+号/);
  const [download] = await Promise.all([
    desk.waitForEvent('download'),
    desk.click('#outputs ~ ul a:has-text("下载 Word")'),
  ]);
  assert.match(download.suggestedFilename(), /^清常发〔\d{4}〕\d+号\.docx$/);
  await shot(desk, 'meeting-held');

  // The deputy's record shows the meeting attended as 列席.
  await phone.goto(url + '/meetings/attendance');
  const own = await phone.textContent('main table');
  assert.match(own, new RegExp(today()));
  assert.match(own, /列席\s*出席/);
  await shot(phone, 'meeting-attendance-phone');
  // And the committee's report counts the member present.
  await desk.goto(url + '/meetings/attendance');
  assert.match(await desk.textContent('main'), /组成人员出席情况/);
  await phone.close();
  await member.close();
  await desk.close();
});
