// Approval routes in the web client. MODE=create (the head, desktop): a new
// route named ROUTE_NAME with one step, the finance director from 777 777,
// made in the form and its step dialog, then saved. MODE=read (the head,
// phone): the standard route opens and shows its steps. MODE=substitute (any
// approver, phone): a line "SUBSTITUTE_NAME decides in my place until
// DATE_TO" in Approvals > Substitutes, saved.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'desktop';
const MODE = process.env.MODE || 'create';
const ROUTE_NAME = process.env.ROUTE_NAME || 'Маршрут из браузера';
const ROUTE_ID = process.env.ROUTE_ID;

(async () => {
  await scenario({ name: `approval-routes-${MODE}-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      if (MODE === 'substitute') {
        await openAction(page, 'action=deal_approval.deal_approval_substitute_action', '.o_list_button_add');
        await page.locator('.o_list_button_add:visible').click();
        const row = page.locator('.o_list_view tr.o_selected_row');
        await row.waitFor();
        const person = row.locator('.o_field_widget[name="substitute_id"] input');
        await person.fill(process.env.SUBSTITUTE_NAME);
        await page.locator('.ui-autocomplete li a', { hasText: process.env.SUBSTITUTE_NAME }).first().click();
        const until = row.locator('.o_field_widget[name="date_to"] input, input.o_field_widget[name="date_to"]');
        await until.first().fill(process.env.DATE_TO);
        await until.first().press('Tab');
        await shot(page, `approval-substitute-new-${VIEWPORT}`);
        await page.locator('.o_list_button_save:visible').click();
        await page.waitForSelector('.o_list_view tr.o_selected_row', { state: 'detached' });
        await waitIdle(page);
        const text = await page.locator('.o_list_view tbody').innerText();
        check(text.includes(process.env.SUBSTITUTE_NAME), `the substitution is listed: ${text}`);
        await shot(page, `approval-substitute-saved-${VIEWPORT}`);
        return;
      }
      if (MODE === 'read') {
        await openAction(page, `action=deal_approval.deal_approval_route_action&id=${ROUTE_ID}` +
          '&model=deal.approval.route&view_type=form', '.o_form_view');
        // On a phone Odoo shows the steps as cards (kanban), on a desktop as rows.
        const steps = page.locator('.o_field_one2many[name="step_ids"]');
        const rows = await steps.locator('.o_data_row, .o_kanban_record:not(.o_kanban_ghost)').count();
        check(rows >= 2, `the standard route shows its steps (got ${rows})`);
        const text = await steps.innerText();
        check(/Head of sales|Руководитель отдела продаж/.test(text), `the head's step is listed: ${text}`);
        await shot(page, `approval-routes-read-${VIEWPORT}`);
        return;
      }
      await openAction(page, 'action=deal_approval.deal_approval_route_action', '.o_list_view');
      await page.locator('.o_list_button_add:visible').click();
      await page.waitForSelector('.o_form_view.o_form_editable');
      await waitIdle(page);
      await page.locator('.o_form_view input.o_field_widget[name="name"]').fill(ROUTE_NAME);
      await page.locator('.o_field_x2many_list_row_add a').click();
      const dialog = page.locator('.modal .o_form_view');
      await dialog.waitFor();
      await waitIdle(page);
      const select = dialog.locator('select.o_field_widget[name="approver_type"]');
      const value = await select.evaluate((node) =>
        Array.from(node.options).map((option) => option.value).find((v) => v.includes('finance')));
      check(value, 'the step offers the finance director as approver');
      await select.selectOption(value);
      await dialog.locator('input.o_field_widget[name="amount_from"]').fill('777777');
      await shot(page, `approval-routes-step-${VIEWPORT}`);
      await page.locator('.modal-footer button.btn-primary').first().click();
      await page.waitForSelector('.modal', { state: 'detached' });
      await waitIdle(page);
      const rows = await page.locator('.o_field_one2many[name="step_ids"] tbody tr.o_data_row').count();
      check(rows === 1, `the route has its new step (got ${rows})`);
      await page.locator('.o_form_button_save').click();
      await page.waitForSelector('.o_form_view.o_form_readonly');
      await waitIdle(page);
      await shot(page, `approval-routes-saved-${VIEWPORT}`);
    });
})();
