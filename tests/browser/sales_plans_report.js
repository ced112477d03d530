// Sales plans in the web client: the plan-against-actual bars, the pivot,
// the list with progress bars, the cumulative line, the head's entry grid
// and his dashboard (desktop or phone). A salesperson sees his own bars.
// Besides its own checks, the scenario prints what each view shows as
// "shown <view> <json>" lines: tests/test_sales_plans_browser.py compares
// them with what the server answers the same user over RPC.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'desktop';
const HEAD = USER === 'head';

function report(view, data) {
  console.log(`shown ${view} ${JSON.stringify(data)}`);
}

async function bars(page) {
  await page.waitForSelector('.o_graph_svg_container svg .nv-bar, .o_graph_svg_container svg .nv-line',
    { timeout: 60000 });
  return page.locator('.o_graph_svg_container svg .nv-bar').count();
}

// The graph's legend and x-axis labels, as the user reads them.
async function graphTexts(root) {
  return {
    legend: await root.locator('.nv-legendWrap .nv-legend-text').allTextContents(),
    x: await root.locator('.nv-x .tick text').allTextContents(),
  };
}

// Each pivot row: its header and the texts of its cells, in order.
async function pivotRows(page) {
  return page.$$eval('.o_pivot table tbody tr', (trs) => trs.map((tr) => ({
    header: (tr.querySelector('td.o_pivot_header_cell_opened, td.o_pivot_header_cell_closed') || {})
      .textContent.trim(),
    cells: Array.from(tr.querySelectorAll('td.o_pivot_cell_value')).map((td) => td.textContent.trim()),
  })));
}

(async () => {
  await scenario({ name: `sales-plans-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, 'action=sales_plans.sales_plan_chart_action', '.o_graph');
      const count = await bars(page);
      check(count >= (HEAD ? 12 : 2), `plan and actual bars per salesperson (got ${count})`);
      report('chart', Object.assign({ bars: count }, await graphTexts(page.locator('.o_graph_svg_container'))));
      await shot(page, `sales-plans-chart-${USER}-${VIEWPORT}`);

      await openAction(page, 'action=sales_plans.sales_plan_report_action', '.o_pivot');
      const measures = await page.$$eval('.o_pivot thead tr:last-child th', (ths) => ths.map((th) => th.textContent.trim()));
      report('pivot', { measures, rows: await pivotRows(page) });
      await shot(page, `sales-plans-pivot-${USER}-${VIEWPORT}`);

      if (VIEWPORT === 'desktop') {
        await page.click('.o_cp_switch_list');
        await page.waitForSelector('.o_list_view .o_data_row');
        await waitIdle(page);
        const rows = await page.$$eval('.o_list_view .o_data_row', (trs) => trs.map((tr) => ({
          cells: Array.from(tr.querySelectorAll('td.o_data_cell')).map((td) => td.textContent.trim()),
          progress: (tr.querySelector('.o_progressbar_value') || {}).textContent || null,
          danger: tr.classList.contains('text-danger'),
        })));
        report('list', { rows });
      }

      await openAction(page, 'action=sales_plans.sales_plan_progress_action', '.o_graph');
      await page.waitForSelector('.o_graph_svg_container svg .nv-line', { timeout: 60000 });
      report('progress', await graphTexts(page.locator('.o_graph_svg_container')));
      await shot(page, `sales-plans-progress-${USER}-${VIEWPORT}`);

      // The funnel to cash (sales_plans_receivables): won, invoiced and
      // received bars per salesperson, and in the pivot what is stuck.
      await openAction(page, 'action=sales_plans_receivables.sales_plan_funnel_action', '.o_graph');
      const funnelBars = await bars(page);
      report('funnel', Object.assign({ bars: funnelBars },
        await graphTexts(page.locator('.o_graph_svg_container'))));
      await shot(page, `sales-plans-funnel-${USER}-${VIEWPORT}`);
      if (VIEWPORT === 'desktop') {
        await page.click('.o_cp_switch_pivot');
        await page.waitForSelector('.o_pivot table');
        await waitIdle(page);
        report('funnel-pivot', { rows: await pivotRows(page) });
      }

      if (HEAD) {
        await openAction(page, 'action=sales_control.head_dashboard_action', '.o_dashboard');
        const ours = page.locator('.o_dashboard .oe_action', { hasText: /Plan against actual|План\/факт/ });
        await ours.locator('svg .nv-bar').first().waitFor({ timeout: 60000 });
        await ours.scrollIntoViewIfNeeded();
        report('dashboard', Object.assign({ bars: await ours.locator('svg .nv-bar').count() },
          await graphTexts(ours)));
        await shot(page, `sales-plans-dashboard-${USER}-${VIEWPORT}`);
      }
      if (HEAD && VIEWPORT === 'desktop') {
        // A wizard (target new) opens from the web client, not from the URL.
        await page.evaluate(() => {
          odoo.__DEBUG__.services['web.web_client'].do_action('sales_plans.sales_plan_grid_server_action');
        });
        await page.waitForSelector('.modal .o_field_x2many_2d_matrix', { timeout: 60000 });
        await waitIdle(page);
        const rows = await page.$$eval('.modal .o_field_x2many_2d_matrix tbody tr',
          (trs) => trs.filter((tr) => tr.offsetParent !== null).map((tr) => tr.querySelector('td, th').textContent.trim()));
        check(rows.length >= 6, `the grid has a row per salesperson (got ${rows.length})`);
        report('grid', { rows });
        await shot(page, `sales-plans-grid-${USER}-${VIEWPORT}`);
      }
    });
})();
