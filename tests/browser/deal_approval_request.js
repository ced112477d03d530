// A manager, on his desktop, asks for the approval of a contract from his deal
// (LEAD_ID): the deal's "Approvals" button, a new request, the contract PDF
// uploaded, "Send for approval"; the request waits for the head.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'sidorova';
const VIEWPORT = process.env.VIEWPORT || 'desktop';
const LEAD_ID = process.env.LEAD_ID;

// The contract: a one-page PDF made by the Python test (base64).
const PDF = Buffer.from(process.env.PDF_B64 || '', 'base64');

(async () => {
  await scenario({ name: `deal-approval-request-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, `action=crm.crm_lead_opportunities&id=${LEAD_ID}&model=crm.lead&view_type=form`,
        '.o_form_view');
      await page.locator('.oe_button_box button.o_deal_approval_stat').click();
      await page.waitForSelector('.o_list_view, .o_kanban_view');
      await waitIdle(page);
      await page.locator('.o_list_button_add:visible, .o-kanban-button-new:visible').first().click();
      await page.waitForSelector('.o_form_view.o_form_editable');
      await waitIdle(page);
      await page.locator('.o_field_widget[name="amount"] input, input.o_field_widget[name="amount"]').first()
        .fill('380000');
      await page.locator('input.o_field_widget[name="payment_terms"]').fill('Отсрочка 14 дней');
      await page.locator('.o_field_widget[name="contract_file"] input[type="file"]').setInputFiles(
        { name: 'dogovor.pdf', mimeType: 'application/pdf', buffer: PDF });
      await waitIdle(page);
      await shot(page, `deal-approval-request-new-${VIEWPORT}`);
      await page.locator('.o_form_button_save').click();
      await page.waitForSelector('.o_form_view.o_form_readonly');
      await waitIdle(page);
      await page.locator('.o_form_statusbar button:visible', { hasText: /Send for approval|Отправить на согласование/ })
        .click();
      await waitIdle(page);
      await page.waitForSelector('.o_statusbar_status button.btn-primary[data-value="waiting"]');
      const approver = await page.locator('.o_field_widget[name="current_approver_id"]').innerText();
      check(approver.trim().length > 0, 'the request waits for an approver');
      console.log(`waiting for: ${approver.trim()}`);
      await shot(page, `deal-approval-request-sent-${VIEWPORT}`);
    });
})();
