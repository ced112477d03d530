// The Approve button of the approval email, opened on the phone (390x844):
// the login page first, then the result page; the same link a second time
// says it was already used.
'use strict';
const { BASE_URL, scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'phone';
const LINK = process.env.LINK;

(async () => {
  await scenario({ name: `deal-approval-email-link-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { shot }) => {
      await page.goto(`${BASE_URL}${LINK}`);
      const result = page.locator('#deal_approval_result');
      await result.waitFor();
      check(await result.evaluate((el) => el.classList.contains('alert-success')), 'the link approved the request');
      await shot(page, `deal-approval-email-link-${VIEWPORT}`);
      await page.goto(`${BASE_URL}${LINK}`);
      await result.waitFor();
      check(await result.evaluate((el) => el.classList.contains('alert-warning')), 'a used link changes nothing');
      console.log(`second use: ${(await result.innerText()).trim()}`);
      await shot(page, `deal-approval-email-link-used-${VIEWPORT}`);
    });
})();
