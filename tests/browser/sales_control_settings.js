// The administrator (settings need base.group_system) opens the CRM settings: the Sales Control block shows the
// "salesmen see unassigned leads" switch (off by default) and the threshold.
'use strict';
const { scenario, check } = require('./lib');

const USER = process.env.LOGIN || 'admin';
const PASSWORD = process.env.PASSWORD || USER;

(async () => {
  await scenario({ name: `sales-control-settings-${USER}`, user: USER, password: PASSWORD },
    async (page, { openAction, shot }) => {
      await openAction(page, 'action=crm.crm_config_settings_action', '.o_form_view');
      const box = page.locator('.o_field_widget[name="sales_control_show_unassigned"], [name="sales_control_show_unassigned"]');
      await box.first().waitFor({ state: 'attached' });
      const checked = await page.locator('[name="sales_control_show_unassigned"] input[type="checkbox"]').first().isChecked();
      check(!checked, 'unassigned leads are hidden from salesmen by default');
      check(await page.locator('[name="sales_control_flag_ratio"]').count() >= 1, 'the flag threshold is there');
      await shot(page, `sales-control-settings-${USER}`);
    });
})();
