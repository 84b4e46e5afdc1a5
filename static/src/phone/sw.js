/* Asystent rodziny – the service worker of the phone app (scope /asystent).
 *
 * Served by controllers/phone.py at /asystent/sw.js. It keeps the app usable
 * without a signal:
 * - the shell (/asystent): network first (a fresh copy is stored), the stored
 *   copy when the network fails or is too slow;
 * - the app's bundle and static files (/web/assets/..., /family_assistant/static/...,
 *   the manifest): cache first, stored at first use; the bundle the shell names
 *   is stored together with the shell, so that the first visit already works offline;
 * - the API (/asystent/api/...) is never stored: the app keeps its data in IndexedDB.
 * The app deletes these caches at logout.
 */
"use strict";

const VERSION = "1";
const SHELL_CACHE = "asystent-shell-v" + VERSION;
const ASSET_CACHE = "asystent-assets-v" + VERSION;
const SHELL_URL = "/asystent";
const MANIFEST_URL = "/asystent/manifest.webmanifest";
// a slow network is no network: after this, the stored shell is shown
const SHELL_TIMEOUT_MS = 4000;

function isShell(url) {
    return url.pathname === SHELL_URL || url.pathname === SHELL_URL + "/";
}

function isAsset(url) {
    return (
        url.pathname.startsWith("/web/assets/") ||
        url.pathname.startsWith("/family_assistant/static/") ||
        url.pathname === MANIFEST_URL
    );
}

/** The bundle and static files a shell page loads. */
function assetUrls(html) {
    const urls = new Set([MANIFEST_URL]);
    const pattern = /(?:src|href)="((?:\/web\/assets\/|\/family_assistant\/static\/)[^"]+)"/g;
    for (const match of html.matchAll(pattern)) {
        urls.add(match[1].replace(/&amp;/g, "&"));
    }
    return [...urls];
}

/** Stores a fresh shell and the files it names; forgets the bundles it no longer names. */
async function storeShell(response) {
    const html = await response.clone().text();
    const shells = await caches.open(SHELL_CACHE);
    await shells.put(SHELL_URL, response);
    const assets = await caches.open(ASSET_CACHE);
    const wanted = assetUrls(html);
    await Promise.all(
        wanted.map(async (url) => {
            if (!(await assets.match(url))) {
                const fresh = await fetch(url, { credentials: "same-origin" });
                if (fresh.ok) {
                    await assets.put(url, fresh);
                }
            }
        })
    );
    const keep = new Set(wanted.map((url) => new URL(url, self.location.origin).href));
    for (const request of await assets.keys()) {
        if (new URL(request.url).pathname.startsWith("/web/assets/") && !keep.has(request.url)) {
            await assets.delete(request);
        }
    }
}

function isFreshShell(response) {
    // not the login page a lost session redirects to
    return response && response.ok && response.type === "basic" && !response.redirected;
}

self.addEventListener("install", (event) => {
    event.waitUntil(
        (async () => {
            try {
                const response = await fetch(SHELL_URL, { credentials: "same-origin" });
                if (isFreshShell(response)) {
                    await storeShell(response);
                }
            } catch {
                // offline at install: the next visit stores the shell
            }
            await self.skipWaiting();
        })()
    );
});

self.addEventListener("activate", (event) => {
    event.waitUntil(
        (async () => {
            for (const name of await caches.keys()) {
                if (name.startsWith("asystent-") && name !== SHELL_CACHE && name !== ASSET_CACHE) {
                    await caches.delete(name);
                }
            }
            await self.clients.claim();
        })()
    );
});

async function shellResponse(event) {
    const cached = await caches.match(SHELL_URL, { cacheName: SHELL_CACHE });
    const network = fetch(event.request).then((response) => {
        if (isFreshShell(response)) {
            event.waitUntil(storeShell(response.clone()).catch(() => {}));
        }
        return response;
    });
    if (!cached) {
        return network.catch(() => offlinePage());
    }
    const slow = new Promise((resolve) => setTimeout(() => resolve(cached), SHELL_TIMEOUT_MS));
    event.waitUntil(network.catch(() => {}));
    // a server error (a proxy's 502...) is no better than no network
    const answer = network.then((response) => (response.status >= 500 ? cached : response));
    return Promise.race([answer.catch(() => cached), slow]);
}

function offlinePage() {
    const html =
        '<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8">' +
        '<meta name="viewport" content="width=device-width, initial-scale=1">' +
        "<title>Asystent rodziny</title></head>" +
        '<body style="font-family:system-ui,sans-serif;padding:24px;font-size:18px">' +
        "<h1>Brak połączenia</h1><p>Aplikacja nie została jeszcze zapisana w telefonie. " +
        "Połącz się z internetem i otwórz ją ponownie.</p></body></html>";
    return new Response(html, {
        status: 503,
        headers: { "Content-Type": "text/html; charset=utf-8" },
    });
}

async function assetResponse(event) {
    const request = event.request;
    const cache = await caches.open(ASSET_CACHE);
    const cached = await cache.match(request);
    if (cached) {
        return cached;
    }
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
        event.waitUntil(cache.put(request, response.clone()));
    }
    return response;
}

self.addEventListener("fetch", (event) => {
    const request = event.request;
    if (request.method !== "GET") {
        return;
    }
    const url = new URL(request.url);
    if (url.origin !== self.location.origin || url.pathname.startsWith("/asystent/api/")) {
        return; // the API and other sites: the network only, never stored
    }
    if (request.mode === "navigate" && isShell(url)) {
        event.respondWith(shellResponse(event));
    } else if (isAsset(url)) {
        event.respondWith(assetResponse(event));
    }
});
