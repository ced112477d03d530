// A salesperson's name is his to choose (Preferences), and it labels the
// head's plan graphs, pivot and entry grid. Named
// <img src=x onerror=alert(1)>, he must show up as that text, never as
// markup run in the head's browser: the graph tooltips (nvd3 writes them
// with .html()), the pivot headers, the grid's rows.
'use strict';
const { scenario, check } = require('./lib');

const PAYLOAD = process.env.PAYLOAD || '<img src=x onerror=alert(1)>';

async function noMarkup(page, where) {
  const found = await page.evaluate(() => ({
    xss: window.__xss || 0,
    images: document.querySelectorAll('.nvtooltip img, .o_pivot img, .modal img[src="x"], img[src="x"]').length,
  }));
  check(!found.xss && !found.images, `${where}: the name ran as markup (${JSON.stringify(found)})`);
}

async function hoverBars(page, where) {
  const bars = page.locator('.o_graph_svg_container svg .nv-bar');
  await bars.first().waitFor({ timeout: 60000 });
  const count = await bars.count();
  let shown = false;
  for (let i = 0; i < count; i += 1) {
    await bars.nth(i).hover({ force: true });
    await page.waitForTimeout(60);
    const tooltip = await page.evaluate(() => Array.from(document.querySelectorAll('.nvtooltip'))
      .map((t) => t.innerText).join('\n'));
    shown = shown || tooltip.includes(PAYLOAD);
    await noMarkup(page, `${where}, bar ${i + 1}/${count}`);
  }
  check(shown, `${where}: some tooltip shows the name as text`);
  console.log(`${where}: ${count} bars hovered`);
}

(async () => {
  await scenario({ name: 'sales-plans-xss', user: 'head' }, async (page, { openAction, waitIdle, shot }) => {
    page.on('dialog', async (dialog) => {
      await page.evaluate(() => { window.__xss = (window.__xss || 0) + 1; }).catch(() => {});
      await dialog.dismiss();
      throw new Error(`a dialog opened: ${dialog.message()}`);
    });
    await page.addInitScript(() => {
      window.alert = () => { window.__xss = (window.__xss || 0) + 1; };
    });
    await openAction(page, 'action=sales_plans.sales_plan_chart_action', '.o_graph');
    await hoverBars(page, 'plan against actual');
    await shot(page, 'sales-plans-xss-chart');

    await openAction(page, 'action=sales_plans.sales_plan_report_action', '.o_pivot');
    const pivot = await page.locator('.o_pivot').innerText();
    check(pivot.includes(PAYLOAD), 'the pivot shows the name as text');
    await noMarkup(page, 'pivot');

    await page.evaluate(() => {
      odoo.__DEBUG__.services['web.web_client'].do_action('sales_plans.sales_plan_grid_server_action');
    });
    await page.waitForSelector('.modal .o_field_x2many_2d_matrix', { timeout: 60000 });
    await waitIdle(page);
    const grid = await page.locator('.modal .o_field_x2many_2d_matrix').innerText();
    check(grid.includes(PAYLOAD), 'the grid shows the name as text');
    await noMarkup(page, 'grid');
  });
})();
