// On a desktop: the head's approvals analysis (pivot by approver and decision
// with the average and slowest hours, then the graph), or (MODE=settings, as
// the administrator) the approval settings in the CRM settings.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'desktop';
const MODE = process.env.MODE || 'report';

(async () => {
  const password = process.env.PASSWORD || USER;
  await scenario({ name: `deal-approval-${MODE}-${USER}-${VIEWPORT}`, user: USER, password, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      if (MODE === 'settings') {
        await openAction(page, 'action=crm.crm_config_settings_action', '.o_form_view');
        check(await page.locator('#deal_approval_settings .o_field_widget').count() >= 4,
          'the CRM settings have the approval settings');
        await shot(page, `deal-approval-settings-${VIEWPORT}`);
        return;
      }
      await openAction(page, 'action=deal_approval.deal_approval_report_action', '.o_pivot');
      const headers = await page.locator('.o_pivot thead').innerText();
      check(/Hours to decision|Часов до решения/.test(headers), 'the pivot shows the hours to decision');
      const rows = await page.locator('.o_pivot tbody tr').count();
      check(rows >= 2, `the pivot has a row per approver (got ${rows})`);
      await shot(page, `deal-approval-report-pivot-${VIEWPORT}`);
      await page.locator('.o_cp_switch_buttons button[data-view-type="graph"]').click();
      await page.waitForSelector('.o_graph svg');
      await waitIdle(page);
      await shot(page, `deal-approval-report-graph-${VIEWPORT}`);
    });
})();
