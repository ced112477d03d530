/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
odoo.define('sales_head_mobile.push_menu', function (require) {
'use strict';

/* Registers the service worker (the web client installs on the home screen)
 * and puts a bell in the systray: tapped, it asks the browser's permission,
 * subscribes with the server's VAPID key and records the subscription as the
 * user's own (sales.head.mobile.subscription). */
var ajax = require('web.ajax');
var core = require('web.core');
var SystrayMenu = require('web.SystrayMenu');
var Widget = require('web.Widget');

var _t = core._t;

function supported() {
    return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function registerWorker() {
    return navigator.serviceWorker.register('/sales_head_mobile/sw.js', {scope: '/'});
}

function keyBytes(base64) {
    var padded = (base64 + '===='.slice(base64.length % 4 || 4)).replace(/-/g, '+').replace(/_/g, '/');
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
        bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
}

function b64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = '';
    for (var i = 0; i < bytes.length; i++) {
        text += String.fromCharCode(bytes[i]);
    }
    return window.btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

var PushMenu = Widget.extend({
    template: 'sales_head_mobile.PushMenu',
    events: {
        'click': '_onClick',
    },
    start: function () {
        if (!supported()) {
            this.$el.addClass('hidden');
            return this._super.apply(this, arguments);
        }
        registerWorker().catch(function () {});
        this._render(window.Notification.permission === 'granted');
        return this._super.apply(this, arguments);
    },
    _render: function (enabled) {
        this.$('i').toggleClass('fa-bell', enabled).toggleClass('fa-bell-slash-o', !enabled);
        this.$el.attr('title', enabled ? _t('Approval requests come to this browser')
                                       : _t('Receive approval requests on this browser'));
    },
    _onClick: function (ev) {
        ev.preventDefault();
        var self = this;
        window.Notification.requestPermission().then(function (permission) {
            if (permission !== 'granted') {
                self.do_warn(_t('Notifications'), _t('The browser does not allow notifications for this site.'));
                return;
            }
            return self._subscribe().then(function () {
                self._render(true);
                self.do_notify(_t('Notifications'), _t('Approval requests will come to this browser.'));
            });
        });
    },
    _subscribe: function () {
        var self = this;
        return registerWorker().then(function () {
            return navigator.serviceWorker.ready;
        }).then(function (registration) {
            return ajax.jsonRpc('/sales_head_mobile/vapid_public_key', 'call', {}).then(function (key) {
                return registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: keyBytes(key)});
            });
        }).then(function (subscription) {
            return self._rpc({
                model: 'sales.head.mobile.subscription',
                method: 'create',
                args: [{
                    endpoint: subscription.endpoint,
                    p256dh: b64url(subscription.getKey('p256dh')),
                    auth: b64url(subscription.getKey('auth')),
                    user_agent: navigator.userAgent,
                }],
            });
        });
    },
});

SystrayMenu.Items.push(PushMenu);

return PushMenu;
});
