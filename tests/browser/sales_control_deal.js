// A manager opens one of his deals (LEAD_ID) and its Communications tab: a
// timeline of touches, newest first, with an audio player for a recorded call.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'sidorova';
const VIEWPORT = process.env.VIEWPORT || 'desktop';
const LEAD_ID = process.env.LEAD_ID;

(async () => {
  await scenario({ name: `sales-control-deal-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, `id=${LEAD_ID}&model=crm.lead&view_type=form`, '.o_form_view');
      const tab = page.locator('.o_notebook .nav-tabs a', { hasText: /Communications|Коммуникации/ });
      check(await tab.count() === 1, 'the deal card has a Communications tab');
      await tab.first().click();
      await waitIdle(page);
      await page.waitForSelector('.o_sales_timeline .o_sales_touch', { state: 'visible' });
      const touches = await page.locator('.o_sales_timeline .o_sales_touch').count();
      check(touches > 0, `the timeline lists touches (got ${touches})`);
      const players = await page.locator('.o_sales_timeline audio').count();
      check(players > 0, `a recorded call has a player (got ${players})`);
      const stat = await page.locator('.oe_button_box .oe_stat_button', { hasText: /Touches|Касани/ }).count();
      check(stat >= 1, 'a smart button with the count of touches');
      await shot(page, `sales-control-deal-${USER}-${VIEWPORT}`);
    });
})();
