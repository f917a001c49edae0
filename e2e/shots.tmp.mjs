import { startServer, launchBrowser, login } from './harness.mjs';
const srv = await startServer({ demo: true });
const b = await launchBrowser();
try {
  const desk = await b.newPage({ viewport: { width: 1280, height: 900 } });
  await login(desk, srv.url, 'staff', 'Demo@2026');
  await desk.goto(srv.url + '/meetings');
  await desk.screenshot({ path: '/tmp/s1.png', fullPage: true });
  const href = await desk.locator('table a').first().getAttribute('href');
  await desk.goto(srv.url + href);
  await desk.screenshot({ path: '/tmp/s2.png', fullPage: true });
  // a held one
  await desk.goto(srv.url + '/meetings?state=minutes_approved');
  const h2 = await desk.locator('table a').first().getAttribute('href');
  await desk.goto(srv.url + h2);
  await desk.screenshot({ path: '/tmp/s3.png', fullPage: true });
  const phone = await b.newPage({ viewport: { width: 390, height: 844 } });
  await login(phone, srv.url, 'deputy', 'Demo@2026');
  await phone.goto(srv.url + '/meetings');
  await phone.screenshot({ path: '/tmp/s4.png', fullPage: true });
  const h3 = await phone.locator('table a').first().getAttribute('href');
  await phone.goto(srv.url + h3);
  await phone.screenshot({ path: '/tmp/s5.png', fullPage: true });
} finally { await b.close(); await srv.stop(); }
