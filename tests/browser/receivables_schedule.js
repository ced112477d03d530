// The payment schedule with its colours, the clients-with-debt kanban and
// the planned/received pivot, as the head (everything) or a manager (own
// clients only), on a desktop or a phone.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'desktop';

(async () => {
  await scenario({ name: `receivables-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, 'action=receivables.receivables_schedule_line_action&view_type=list',
        '.o_list_view');
      const rows = await page.locator('.o_list_view tbody tr.o_data_row').count();
      check(rows > 0, `the schedule lists unpaid planned receipts (got ${rows})`);
      const red = await page.locator('.o_list_view tbody tr.o_data_row.text-danger').count();
      const yellow = await page.locator('.o_list_view tbody tr.o_data_row.text-warning').count();
      console.log(`rows=${rows} overdue(red)=${red} due(yellow)=${yellow}`);
      if (USER === 'head') {
        check(red > 0, 'overdue lines are red');
        check(yellow > 0, 'lines due this month are yellow');
      }
      await shot(page, `receivables-schedule-${USER}-${VIEWPORT}`);

      await openAction(page, 'action=receivables.receivables_partner_debt_action', '.o_kanban_view');
      const cards = await page.locator('.o_kanban_record:not(.o_kanban_ghost)').count();
      check(cards > 0, `clients with debt are shown (got ${cards})`);
      await shot(page, `receivables-debt-kanban-${USER}-${VIEWPORT}`);

      await openAction(page, 'action=receivables.receivables_report_action', '.o_pivot');
      await waitIdle(page);
      const cells = await page.locator('.o_pivot td.o_pivot_cell_value').count();
      check(cells > 0, `the pivot of planned and received has values (got ${cells})`);
      await shot(page, `receivables-pivot-${USER}-${VIEWPORT}`);

      if (USER === 'head') {
        await openAction(page, 'action=sales_control.head_dashboard_action', '.o_dashboard');
        await page.waitForSelector('.o_dashboard .oe_action', { timeout: 60000 });
        await waitIdle(page);
        const text = await page.locator('.o_dashboard').innerText();
        check(/Долги: просроченные|Debt: overdue/.test(text), 'the dashboard shows the debt list');
        await shot(page, `receivables-dashboard-${USER}-${VIEWPORT}`);
      }
    });
})();
