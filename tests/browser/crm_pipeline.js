// The head and a manager open the CRM pipeline on a desktop and on a phone
// (OCA web_responsive); the pipeline must show the demo deals.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'desktop';

(async () => {
  await scenario({ name: `crm-pipeline-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, shot }) => {
      await openAction(page, 'action=crm.crm_lead_opportunities_tree_view', '.o_kanban_view');
      const cards = await page.locator('.o_kanban_record:not(.o_kanban_ghost)').count();
      check(cards > 0, `the pipeline shows deals (got ${cards})`);
      const columns = await page.locator('.o_kanban_group').count();
      check(columns >= 4, `the pipeline shows the stages (got ${columns})`);
      console.log(`cards=${cards}`);
      await shot(page, `crm-pipeline-${USER}-${VIEWPORT}`);
    });
})();
