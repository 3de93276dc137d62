// unknot service worker, served as /plan/sw.js so that its scope is /plan/:
// it keeps today's routine working without a network. The routine page is
// fetched from the network first (it says whether today is done) and from
// the cache when the network fails; its pictures, style and script come
// from the cache at once and are refreshed behind it. routine.js fills the
// cache when the page is first opened, and queues a routine finished
// offline until the network is back. Nothing else is cached.
"use strict";
var CACHE = "unknot-routine-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("unknot-routine-") === 0 && k !== CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// Static files are linked by names with their content's fingerprint
// (app.3f2a1c9e.css, assets.go): a new version replaces the ones before
// it, so that the cache does not grow with every release.
var PRINTED = /^(\/static\/.+)\.[0-9a-f]{8}(\.[^./]+)$/;

function keep(req, res) {
  if (res.ok && res.type === "basic") {
    var copy = res.clone();
    var m = PRINTED.exec(new URL(req.url).pathname);
    caches.open(CACHE).then(function (c) {
      return c.put(req, copy).then(function () {
        if (!m) return;
        return c.keys().then(function (ks) {
          return Promise.all(ks.filter(function (k) {
            var p = new URL(k.url).pathname, o = PRINTED.exec(p);
            return o && o[1] === m[1] && o[2] === m[2] && p !== m[0];
          }).map(function (k) { return c.delete(k); }));
        });
      });
    });
  }
  return res;
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (/^\/plan\/[^/]+\/today$/.test(url.pathname)) {
    e.respondWith(fetch(req).then(function (res) {
      // A deleted plan leaves no copy behind.
      if (res.status === 404) {
        caches.open(CACHE).then(function (c) {
          return c.keys().then(function (ks) {
            return Promise.all(ks.filter(function (k) {
              return new URL(k.url).pathname === url.pathname;
            }).map(function (k) { return c.delete(k); }));
          });
        });
      }
      return keep(req, res);
    }).catch(function () {
      return caches.match(req).then(function (hit) {
        return hit || caches.match(req, { ignoreSearch: true });
      }).then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/exercises/") === 0) {
    e.respondWith(caches.match(req).then(function (hit) {
      var fresh = fetch(req).then(function (res) { return keep(req, res); });
      if (!hit) return fresh;
      fresh.catch(function () {});
      return hit;
    }));
  }
});
