// Sales plans in the web client: the plan-against-actual bars, the pivot,
// the list with progress bars, the cumulative line, the head's entry grid
// and his dashboard (desktop or phone). A salesperson sees his own bars.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'desktop';
const HEAD = USER === 'head';

async function bars(page) {
  await page.waitForSelector('.o_graph_svg_container svg .nv-bar, .o_graph_svg_container svg .nv-line',
    { timeout: 60000 });
  return page.locator('.o_graph_svg_container svg .nv-bar').count();
}

(async () => {
  await scenario({ name: `sales-plans-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, 'action=sales_plans.sales_plan_chart_action', '.o_graph');
      const count = await bars(page);
      check(count >= (HEAD ? 12 : 2), `plan and actual bars per salesperson (got ${count})`);
      const facets = await page.locator('.o_searchview_facet').allInnerTexts();
      console.log(`bars=${count} facets=${JSON.stringify(facets)}`);
      await shot(page, `sales-plans-chart-${USER}-${VIEWPORT}`);

      await openAction(page, 'action=sales_plans.sales_plan_report_action', '.o_pivot');
      const cells = await page.locator('.o_pivot td.o_pivot_cell_value').count();
      check(cells > 0, `the pivot shows figures (got ${cells})`);
      await shot(page, `sales-plans-pivot-${USER}-${VIEWPORT}`);

      if (VIEWPORT === 'desktop') {
        await page.click('.o_cp_switch_list');
        await page.waitForSelector('.o_list_view .o_data_row');
        await waitIdle(page);
        const progress = await page.locator('.o_list_view .o_progressbar').count();
        check(progress > 0, `the list shows progress bars (got ${progress})`);
      }

      await openAction(page, 'action=sales_plans.sales_plan_progress_action', '.o_graph');
      await page.waitForSelector('.o_graph_svg_container svg .nv-line', { timeout: 60000 });
      await shot(page, `sales-plans-progress-${USER}-${VIEWPORT}`);

      if (HEAD) {
        await openAction(page, 'action=sales_control.head_dashboard_action', '.o_dashboard');
        const ours = page.locator('.o_dashboard .oe_action', { hasText: /Plan against actual|План\/факт/ });
        await ours.locator('svg .nv-bar').first().waitFor({ timeout: 60000 });
        await ours.scrollIntoViewIfNeeded();
        await shot(page, `sales-plans-dashboard-${USER}-${VIEWPORT}`);
      }
      if (HEAD && VIEWPORT === 'desktop') {
        // A wizard (target new) opens from the web client, not from the URL.
        await page.evaluate(() => {
          odoo.__DEBUG__.services['web.web_client'].do_action('sales_plans.sales_plan_grid_server_action');
        });
        await page.waitForSelector('.modal .o_field_x2many_2d_matrix', { timeout: 60000 });
        await waitIdle(page);
        const rows = await page.locator('.modal .o_field_x2many_2d_matrix:visible tbody tr').count();
        check(rows >= 6, `the grid has a row per salesperson (got ${rows})`);
        await shot(page, `sales-plans-grid-${USER}-${VIEWPORT}`);
      }
    });
})();
