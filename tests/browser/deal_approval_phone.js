// The head on his phone (390x844): "My approvals" opens as a kanban of the
// requests waiting for him (client, amount, age on each card); he opens one,
// sees the figures and the PDF button, and approves in two taps
// (DECISION=approve) or rejects with a comment (DECISION=reject).
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'phone';
const REQUEST = process.env.REQUEST_NAME;
const DECISION = process.env.DECISION || 'approve';

(async () => {
  await scenario({ name: `deal-approval-${DECISION}-${USER}-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, 'action=deal_approval.deal_approval_request_action_my', '.o_kanban_view');
      const cards = page.locator('.o_deal_approval_card');
      check(await cards.count() > 0, 'the kanban lists the requests waiting for me');
      const card = cards.filter({ hasText: REQUEST });
      check(await card.count() === 1, `the card of ${REQUEST} is there`);
      const text = await card.innerText();
      check(/\d/.test(await card.locator('.o_deal_approval_amount').innerText()), 'the card shows the amount');
      check((await card.locator('.o_deal_approval_client').innerText()).trim().length > 0, 'the card shows the client');
      check((await card.locator('.o_deal_approval_age').innerText()).trim().length > 0, 'the card shows the age');
      await shot(page, `deal-approval-kanban-${VIEWPORT}`);
      // Tap 1: the card.
      await card.click();
      await page.waitForSelector('.o_form_view');
      await waitIdle(page);
      await shot(page, `deal-approval-form-${VIEWPORT}`);
      const pdfButton = page.locator('.o_form_view .o_deal_approval_pdf:visible');
      check(await pdfButton.count() === 1, 'the form has Open PDF');
      if (DECISION === 'approve') {
        // The PDF opens in a new tab (headless Chromium downloads it): the
        // sheet and the contract in one file.
        const [pdfRequest] = await Promise.all([
          page.context().waitForEvent('request', {
            predicate: (r) => /\/web\/content\/\d+\?download=false/.test(r.url()), timeout: 90000 }),
          pdfButton.click(),
        ]);
        const response = await pdfRequest.response();
        check(response && response.status() === 200, `the PDF answers (${pdfRequest.url()})`);
        check(/pdf/.test(response.headers()['content-type'] || ''), 'the answer is a PDF');
        console.log(`pdf: ${pdfRequest.url()}`);
        for (const other of page.context().pages()) {
          if (other !== page) await other.close();
        }
        await waitIdle(page);
      }
      const approve = page.locator('.o_form_view button.o_deal_approval_approve:visible');
      check(await approve.count() === 1, 'the Approve button is visible on the phone');
      await shot(page, `deal-approval-form-${VIEWPORT}`);
      if (DECISION === 'reject') {
        // Tap 2: Reject, then the reason and the confirmation.
        await page.locator('.o_form_view button.o_deal_approval_reject:visible').click();
        await page.waitForSelector('.modal .o_deal_approval_reason textarea, .modal textarea.o_deal_approval_reason');
        await page.locator('.modal textarea').first().fill('Скидка больше согласованной');
        await shot(page, `deal-approval-reject-${VIEWPORT}`);
        await page.locator('.modal button.o_deal_approval_reject_confirm').click();
        await page.waitForSelector('.modal', { state: 'detached', timeout: 90000 });
        await waitIdle(page);
      } else {
        // Tap 2: Approve.
        await approve.click();
        await waitIdle(page);
      }
      await shot(page, `deal-approval-after-${DECISION}-${VIEWPORT}`);
      // The form reloads without the decision buttons (the Python test
      // checks the state on the server).
      await page.waitForFunction(() => ![...document.querySelectorAll('button.o_deal_approval_approve')]
        .some((b) => b.offsetParent !== null), null, { timeout: 90000 });
      check(await page.locator('button.o_deal_approval_approve:visible').count() === 0, 'no second decision');
      console.log(`card: ${text.replace(/\s+/g, ' ')}`);
    });
})();
