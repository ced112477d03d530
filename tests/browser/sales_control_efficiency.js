// The head opens Sales Control > Efficiency per Salesperson, sets the last year
// and computes: one line per manager, and the demo's busy manager who wins
// little is flagged (the line is shown in red).
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'desktop';
const DATE_FROM = process.env.DATE_FROM;

(async () => {
  await scenario({ name: `sales-control-efficiency-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, 'action=sales_control.sales_efficiency_wizard_action', '.o_form_view');
      const dateFrom = page.locator('.o_form_view .o_field_widget[name="date_from"] input, .o_form_view input[name="date_from"]').first();
      await dateFrom.fill(DATE_FROM);
      await dateFrom.press('Tab');
      await page.click('.o_form_view button[name="action_compute"]');
      await waitIdle(page);
      await page.waitForSelector('.o_form_view .o_field_one2many tbody tr.o_data_row', { timeout: 60000 });
      const rows = await page.locator('.o_form_view .o_field_one2many tbody tr.o_data_row').count();
      check(rows >= 6, `one line per manager (got ${rows})`);
      const flagged = await page.locator('.o_form_view .o_field_one2many tbody tr.o_data_row.text-danger').count();
      check(flagged >= 1, `a manager is flagged (got ${flagged})`);
      await shot(page, `sales-control-efficiency-${USER}-${VIEWPORT}`);
    });
})();
