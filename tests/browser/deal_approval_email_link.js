// The Approve button of the approval email, opened on the phone (390x844):
// the login page first, then the request with its figures and a
// confirmation form (opening the link decides nothing); the approval is
// taken when the form is posted; the same link a second time says it was
// already used.
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
      check(await result.evaluate((el) => el.classList.contains('alert-info')), 'opening the link only asks');
      check(await page.locator('#deal_approval_summary tr').count() >= 5, 'the key figures are shown');
      const confirm = page.locator('#deal_approval_confirm');
      check(await confirm.isVisible(), 'the Approve button is on the screen');
      await shot(page, `deal-approval-email-link-confirm-${VIEWPORT}`);
      await page.locator('#deal_approval_comment').fill('Согласовано с телефона');
      await confirm.click();
      await page.locator('#deal_approval_result:not(.alert-info)').waitFor();
      check(await result.evaluate((el) => el.classList.contains('alert-success')), 'the form approved the request');
      await shot(page, `deal-approval-email-link-${VIEWPORT}`);
      await page.goto(`${BASE_URL}${LINK}`);
      await result.waitFor();
      check(await result.evaluate((el) => el.classList.contains('alert-warning')), 'a used link changes nothing');
      check(await page.locator('#deal_approval_form').count() === 0, 'a used link shows no form');
      console.log(`second use: ${(await result.innerText()).trim()}`);
      await shot(page, `deal-approval-email-link-used-${VIEWPORT}`);
    });
})();
