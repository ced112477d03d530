// The head and a manager open the CRM pipeline (the CRM menu's own server
// action) on a desktop and on a phone (OCA web_responsive); with the default
// "My pipeline" filter removed, it shows the deals the user may see.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'desktop';

(async () => {
  await scenario({ name: `crm-pipeline-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, 'action=crm.action_your_pipeline', '.o_kanban_view');
      const columns = await page.locator('.o_kanban_group').count();
      check(columns >= 5, `the pipeline shows the demo stages (got ${columns})`);
      const facets = page.locator('.o_searchview_facet .o_facet_remove');
      while (await facets.count()) {
        // The remove button shows on hover only (and off-screen on a phone).
        await facets.first().evaluate((el) => el.click());
        await waitIdle(page);
      }
      await page.waitForSelector('.o_kanban_record:not(.o_kanban_ghost)');
      const cards = await page.locator('.o_kanban_record:not(.o_kanban_ghost)').count();
      check(cards > 0, `the pipeline shows deals (got ${cards})`);
      console.log(`columns=${columns} cards=${cards}`);
      await shot(page, `crm-pipeline-${USER}-${VIEWPORT}`);
    });
})();
