// Shared helpers of the browser scenarios (Playwright-core + Debian chromium).
// A scenario fails (exit 1) on a failed check, a timeout, or any JavaScript
// error in the page: console errors and uncaught exceptions alike.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const BASE_URL = process.env.BASE_URL || 'http://127.0.0.1:8069';
const DB = process.env.ODOO_DB || '';
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || '.local/screenshots';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const VIEWPORTS = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
};

// Console noise that is not an error of the application.
const IGNORED = [/favicon\.ico/, /longpolling/, /bus\/im_status/];

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
}

async function login(page, user, password) {
  await page.goto(`${BASE_URL}/web/login${DB ? `?db=${DB}` : ''}`);
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', password || user);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('button[type="submit"]'),
  ]);
  if (page.url().includes('/web/login')) {
    throw new Error(`login of ${user} refused`);
  }
  await page.waitForSelector('.o_main_content, .o_action_manager', { timeout: 60000 });
}

async function shot(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`screenshot: ${file}`);
  return file;
}

// Opens the web client at a hash (e.g. 'action=crm.crm_lead_opportunities')
// and waits until Odoo has rendered a view and no RPC is pending.
async function openAction(page, hash, selector) {
  // A new query string makes it a real page load: a hash-only change would
  // race with the home action the web client is still loading.
  await page.goto(`${BASE_URL}/web?t=${Date.now()}#${hash}`);
  await page.waitForSelector(selector || '.o_view_manager_content > div', { timeout: 60000 });
  await waitIdle(page);
}

async function waitIdle(page) {
  await page.waitForFunction(() => !document.querySelector('.o_loading') ||
    getComputedStyle(document.querySelector('.o_loading')).display === 'none', null, { timeout: 60000 });
  await page.waitForTimeout(300);
}

// Runs fn(page, helpers) as one logged-in user at one viewport, and fails on
// any JavaScript error the page reported meanwhile.
async function scenario({ name, user, password, viewport = 'desktop' }, fn) {
  const errors = [];
  let browser;
  let page;
  try {
    browser = await launch();
    const context = await browser.newContext({ viewport: VIEWPORTS[viewport] || viewport, locale: 'ru-RU' });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !IGNORED.some((re) => re.test(msg.text()))) {
        errors.push(`console: ${msg.text()}`);
      }
    });
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    page.setDefaultTimeout(60000);
    await login(page, user, password);
    await fn(page, { shot, openAction, waitIdle });
    await waitIdle(page);
    if (errors.length) {
      await shot(page, `${name}-js-error`);
      throw new Error(`JavaScript errors:\n${errors.join('\n')}`);
    }
    console.log(`ok: ${name}`);
  } catch (err) {
    console.error(`FAILED: ${name}: ${err.stack || err}`);
    if (errors.length) console.error(`JavaScript errors:\n${errors.join('\n')}`);
    if (page) await shot(page, `${name}-failed`).catch(() => {});
    process.exitCode = 1;
  } finally {
    if (browser) await browser.close();
  }
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

module.exports = { BASE_URL, scenario, check, shot, openAction, waitIdle, VIEWPORTS };
