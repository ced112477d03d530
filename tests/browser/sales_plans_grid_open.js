// Times the head's plan entry grid in the browser, from the click to the
// rendered matrix (50 managers x 12 months on the benchmark database).
// BASE_URL=http://127.0.0.1:PORT ODOO_DB=DB NODE_PATH=node_modules node tests/browser/sales_plans_grid_open.js
'use strict';
const { scenario } = require('./lib');

(async () => {
  await scenario({ name: 'sales-plans-grid-open', user: process.env.LOGIN || 'head' },
    async (page, { openAction, waitIdle }) => {
      await openAction(page, 'action=sales_plans.sales_plan_action', '.o_list_view');
      const times = [];
      for (let run = 0; run < 3; run++) {
        const start = Date.now();
        await page.evaluate(() => {
          odoo.__DEBUG__.services['web.web_client'].do_action('sales_plans.sales_plan_grid_server_action');
        });
        await page.waitForSelector('.modal .o_field_x2many_2d_matrix tbody tr');
        await waitIdle(page);
        times.push(Date.now() - start - 300);
        const rows = await page.locator('.modal .o_field_x2many_2d_matrix:visible tbody tr').count();
        console.log(`run ${run + 1}: ${times[run]} ms, ${rows} rows`);
        await page.click('.modal .modal-footer button[special="cancel"]');
        await page.waitForSelector('.modal', { state: 'detached' });
      }
      times.sort((a, b) => a - b);
      console.log(`grid opened in the browser: median ${times[1]} ms`);
    });
})();
