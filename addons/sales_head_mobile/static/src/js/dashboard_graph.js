/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
odoo.define('sales_head_mobile.dashboard_graph', function (require) {
'use strict';

/* On a phone, a chart of the head's dashboard shows its legend as a line of
 * HTML that wraps under the title, instead of nvd3's legend, which is laid
 * out right-aligned in the svg and runs past its right edge when the series
 * have long names. Elsewhere (desktop, full-screen graph views) nothing
 * changes. */
var GraphRenderer = require('web.GraphRenderer');

function phone() {
    return window.matchMedia && window.matchMedia('(max-width: 767px)').matches;
}

GraphRenderer.include({
    _renderBarChart: function () {
        return this._headMobileLegend(this._super.apply(this, arguments), 'fill');
    },
    _renderLineChart: function () {
        return this._headMobileLegend(this._super.apply(this, arguments), 'stroke');
    },
    _headMobileLegend: function (chart, paint) {
        if (!chart || !phone() || !this.$el.closest('.oe_dashboard').length || !chart.showLegend()) {
            return chart;
        }
        var data = d3.select(this.el).select('svg').datum() || [];
        if (data.length < 2) {
            return chart;
        }
        var self = this;
        var colors = data.map(function (serie, index) {
            var drawn = self.$('.nv-series-' + index).first().css(paint);
            return serie.color || (drawn && drawn !== 'none' ? drawn : chart.color()(serie, index));
        });
        chart.showLegend(false);
        chart.margin({top: 16});
        chart.update();
        var $legend = $('<div class="o_head_mobile_legend"/>');
        data.forEach(function (serie, index) {
            $('<span class="o_head_mobile_legend_item"/>')
                .append($('<i/>').css('background-color', colors[index]))
                .append($('<span/>').text(serie.key))
                .appendTo($legend);
        });
        this.$el.prepend($legend);
        return chart;
    },
});

});
