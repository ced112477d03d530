/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
 * The service worker of the web client: shows the pushes of the server
 * (an approval request) and opens the request when the user taps one. */
'use strict';

self.addEventListener('install', function (event) {
    self.skipWaiting();
});

self.addEventListener('activate', function (event) {
    event.waitUntil(self.clients.claim());
});

// A fetch handler makes the web client installable; every request goes to
// the network as without a service worker.
self.addEventListener('fetch', function () {});

self.addEventListener('push', function (event) {
    var data = {};
    try {
        data = event.data ? event.data.json() : {};
    } catch (e) {
        data = {body: event.data ? event.data.text() : ''};
    }
    var url = typeof data.url === 'string' && data.url.charAt(0) === '/' ? data.url : '/web';
    event.waitUntil(self.registration.showNotification(data.title || 'Odoo', {
        body: data.body || '',
        tag: data.tag || undefined,
        icon: '/sales_head_mobile/static/src/img/icon-192.png',
        badge: '/sales_head_mobile/static/src/img/icon-192.png',
        data: {url: url},
    }));
});

self.addEventListener('notificationclick', function (event) {
    event.notification.close();
    var url = (event.notification.data && event.notification.data.url) || '/web';
    event.waitUntil(self.clients.matchAll({type: 'window', includeUncontrolled: true}).then(function (list) {
        for (var i = 0; i < list.length; i++) {
            if ('focus' in list[i] && 'navigate' in list[i]) {
                return list[i].navigate(url).then(function (client) {
                    return client && client.focus();
                });
            }
        }
        return self.clients.openWindow(url);
    }));
});
