// The head's dashboard on a 390x844 phone: every report of the board is
// drawn, and no element is wider than the viewport or reaches past its
// right edge or starts left of the left one (no horizontal scrolling,
// nothing cut off: chart labels included). Prints the
// offenders when there are.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'head';
const VIEWPORT = process.env.VIEWPORT || 'phone';

(async () => {
  await scenario({ name: `head-mobile-dashboard-${VIEWPORT}`, user: USER, viewport: VIEWPORT },
    async (page, { openAction, waitIdle, shot }) => {
      await openAction(page, 'action=sales_control.head_dashboard_action', '.oe_dashboard .oe_action');
      // Each report of the board renders its own view.
      await page.waitForFunction(() => {
        const actions = [...document.querySelectorAll('.oe_dashboard .oe_action')];
        return actions.length > 0 && actions.every((a) => a.querySelector('.o_graph svg, .o_pivot table, '
          + '.o_list_view, .o_kanban_view, .o_view_nocontent, .oe_view_nocontent'));
      }, null, { timeout: 90000 });
      await waitIdle(page);
      await page.waitForTimeout(1500); // nvd3 redraws on resize
      const report = await page.evaluate(() => {
        const width = window.innerWidth;
        const offenders = [];
        // web_responsive's app drawer waits closed off the left edge.
        const drawerClosed = !document.body.classList.contains('drawer-open');
        for (const el of document.querySelectorAll('body *')) {
          if (drawerClosed && el.closest('.drawer-nav')) continue;
          const style = getComputedStyle(el);
          if (style.display === 'none' || style.visibility === 'hidden') continue;
          const rect = el.getBoundingClientRect();
          if (!rect.width || !rect.height) continue;
          if (rect.width > width + 0.5 || rect.right > width + 0.5 || rect.left < -0.5) {
            offenders.push(`${el.tagName.toLowerCase()}.${String(el.className && el.className.baseVal !== undefined
              ? el.className.baseVal : el.className).trim().replace(/\s+/g, '.')} `
              + `width=${Math.round(rect.width)} left=${Math.round(rect.left)} right=${Math.round(rect.right)} `
              + `"${(el.textContent || '').trim().slice(0, 30)}"`);
          }
        }
        // Inside the board, nothing may be clipped by a box that hides or
        // scrolls its overflow (a chart's legend or names cut by its frame).
        const clipped = [];
        const board = document.querySelector('.oe_dashboard');
        for (const el of board.querySelectorAll('*')) {
          const rect = el.getBoundingClientRect();
          if (!rect.width || !rect.height || getComputedStyle(el).visibility === 'hidden') continue;
          for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
            if (getComputedStyle(box).overflowX === 'visible') continue;
            const frame = box.getBoundingClientRect();
            if (rect.left < frame.left - 1 || rect.right > frame.right + 1) {
              clipped.push(`${el.tagName.toLowerCase()} "${(el.textContent || '').trim().slice(0, 30)}" `
                + `[${Math.round(rect.left)}, ${Math.round(rect.right)}] in ${box.tagName.toLowerCase()}.`
                + `${String(box.className).trim().replace(/\s+/g, '.')} [${Math.round(frame.left)}, `
                + `${Math.round(frame.right)}]`);
            }
            break;
          }
        }
        return {
          clipped,
          width,
          scrollWidth: document.documentElement.scrollWidth,
          bodyScroll: document.body.scrollWidth,
          actions: document.querySelectorAll('.oe_dashboard .oe_action').length,
          charts: document.querySelectorAll('.oe_dashboard .o_graph svg').length,
          tables: document.querySelectorAll('.oe_dashboard .o_pivot table, .oe_dashboard .o_list_view').length,
          offenders,
        };
      });
      console.log(`viewport ${report.width}px, page ${report.scrollWidth}px, ${report.actions} reports, `
        + `${report.charts} charts, ${report.tables} tables`);
      await shot(page, `head-mobile-dashboard-${VIEWPORT}`);
      await page.evaluate(() => [...document.querySelectorAll('.oe_dashboard .oe_action')].pop().scrollIntoView());
      await page.waitForTimeout(300);
      await shot(page, `head-mobile-dashboard-${VIEWPORT}-end`);
      if (report.offenders.length) console.log(`wider than the viewport:\n${report.offenders.slice(0, 40).join('\n')}`);
      check(report.actions >= 2, 'the board shows its reports');
      check(report.scrollWidth <= report.width && report.bodyScroll <= report.width, 'no horizontal scrolling');
      if (report.clipped.length) console.log(`cut off by their frame:\n${report.clipped.slice(0, 40).join('\n')}`);
      check(report.offenders.length === 0, `${report.offenders.length} elements wider than the viewport`);
      check(report.clipped.length === 0, `${report.clipped.length} elements of the board cut off`);
    });
})();
