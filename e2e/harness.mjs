// Starts a real renda server on a fresh SQLite database and a headless
// Chromium (Debian's /usr/bin/chromium) for the browser tests.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(new URL('..', import.meta.url).pathname);
const bin = resolve(root, process.env.RENDA_BIN || 'target/debug/renda');
export const artifacts = join(root, 'e2e', 'artifacts');

export async function startServer({ demo = false, admin = null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'renda-e2e-'));
  const db = `sqlite://${dir}/renda.db`;
  const env = { ...process.env, RENDA_LOG: 'warn' };
  if (demo) execFileSync(bin, ['demo', '--database-url', db], { env, stdio: 'ignore' });
  if (admin) {
    execFileSync(bin, ['admin', 'create', '--database-url', db, '--username', admin.username], {
      env, input: admin.password + '\n', stdio: ['pipe', 'ignore', 'inherit'],
    });
  }
  const proc = spawn(bin, ['serve', '--database-url', db, '--addr', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error('server did not start: ' + out)), 30000);
    proc.stdout.on('data', (d) => {
      out += d.toString();
      const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); ok('http://' + m[1]); }
    });
    proc.on('exit', (code) => fail(new Error(`server exited with ${code}: ${out}`)));
  });
  const fixtures = process.env.RENDA_FIXTURES || join(dir, 'fixtures');
  return {
    url,
    fixtures,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function login(page, base, username, password) {
  await page.goto(base + '/login');
  await page.fill('#f-username', username);
  await page.fill('#f-password', password);
  await page.click('main form button[type=submit]');
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}
