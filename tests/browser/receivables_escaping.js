// Text from 1C (counterparty, number, payment purpose, the sync log's lines)
// shows as text in the payment form and the sync log: no element made of it,
// no script run. PAYMENT_ID and LOG_ID name the records to open.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const PAYLOAD = '<img src=x onerror=alert(1)>';

async function checkNoInjection(page, where) {
  const injected = await page.locator('img[src="x"]').count();
  check(injected === 0, `${where}: no <img> made of 1C's text (got ${injected})`);
  const text = await page.locator('.o_form_view').innerText();
  check(text.includes(PAYLOAD), `${where}: 1C's text is shown as text`);
}

(async () => {
  await scenario({ name: `receivables-escaping-${USER}`, user: USER }, async (page, { openAction, shot }) => {
    let dialogs = 0;
    page.on('dialog', async (dialog) => { dialogs += 1; await dialog.dismiss(); });
    await openAction(page, `model=receivables.payment&id=${process.env.PAYMENT_ID}&view_type=form`,
      '.o_form_view');
    await checkNoInjection(page, 'payment form');
    await shot(page, `receivables-escaping-payment-${USER}`);
    await openAction(page, `model=receivables.sync.log&id=${process.env.LOG_ID}&view_type=form`, '.o_form_view');
    await checkNoInjection(page, 'sync log');
    check(dialogs === 0, `no script ran (alerts: ${dialogs})`);
  });
})();
