// The head opens CRM > Reporting > Touches: the graph (touches per day,
// stacked by type) renders with bars, the pivot shows managers; then his
// dashboard with the touches graph and the efficiency pivot, on the viewport
// given (desktop or phone).
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'desktop';

(async () => {
  await scenario({ name: `sales-control-touches-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, 'action=sales_control.sales_touch_action', '.o_graph');
      await page.waitForSelector('.o_graph svg .nv-bar', { state: 'attached', timeout: 60000 });
      const bars = await page.locator('.o_graph svg .nv-bar').count();
      check(bars > 0, `the touches graph has bars (got ${bars})`);
      await shot(page, `sales-control-touches-graph-${USER}-${VIEWPORT}`);

      await openAction(page, 'action=sales_control.sales_touch_action&view_type=pivot', '.o_pivot');
      const rows = await page.locator('.o_pivot tbody tr').count();
      check(rows >= 2, `the pivot lists managers (got ${rows} rows)`);

      await openAction(page, 'action=sales_control.head_dashboard_action', '.oe_dashboard');
      await page.waitForSelector('.oe_dashboard .oe_action', { state: 'attached', timeout: 60000 });
      await waitIdle(page);
      const actions = await page.locator('.oe_dashboard .oe_action').count();
      check(actions >= 2, `the dashboard shows its reports (got ${actions})`);
      await page.waitForSelector('.oe_dashboard .o_graph svg', { state: 'attached', timeout: 60000 });
      await page.waitForSelector('.oe_dashboard .o_pivot table', { state: 'attached', timeout: 60000 });
      await shot(page, `sales-control-dashboard-${USER}-${VIEWPORT}`);
    });
})();
