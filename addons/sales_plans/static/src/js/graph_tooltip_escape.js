/* Copyright 2026 Sales Head Suite contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
odoo.define('sales_plans.graph_tooltip_escape', function (require) {
'use strict';

/**
 * nvd3, which draws Odoo 11's graph views, writes a tooltip's header and
 * keys with .html(): a label is taken as markup. Labels are names that
 * users choose (a salesperson names himself in his preferences), so a name
 * such as <img src=x onerror=...> would run in the head's browser when he
 * points at a bar of the plan graphs. Escape both, for every graph.
 */
var GraphRenderer = require('web.GraphRenderer');

function escapeTooltip(chart) {
    var tooltip = chart && chart.tooltip;
    if (!tooltip || !_.isFunction(tooltip.headerFormatter) || !_.isFunction(tooltip.keyFormatter)) {
        return chart;
    }
    _.each(['headerFormatter', 'keyFormatter'], function (name) {
        var format = tooltip[name]();
        if (!format || format.salesPlansEscaped) {
            return;
        }
        var escaped = function () {
            var text = format.apply(this, arguments);
            return _.escape(text === undefined || text === null ? '' : String(text));
        };
        escaped.salesPlansEscaped = true;
        tooltip[name](escaped);
    });
    return chart;
}

GraphRenderer.include({
    _renderBarChart: function () {
        return escapeTooltip(this._super.apply(this, arguments));
    },
    _renderPieChart: function () {
        return escapeTooltip(this._super.apply(this, arguments));
    },
    _renderLineChart: function () {
        return escapeTooltip(this._super.apply(this, arguments));
    },
});

return {escapeTooltip: escapeTooltip};
});
