/** @odoo-module ignore **/
/* Asystent rodziny – the family assistant's phone app (/asystent).
 *
 * Plain JavaScript, no framework and no Odoo loader (the pragma above keeps the
 * bundle from being transpiled into an Odoo module). Offline first:
 * - the cases (GET /asystent/api/cases) are kept in IndexedDB and shown from there;
 * - a visit saved on the phone goes to the outbox (IndexedDB, keyed by its uuid) and
 *   leaves it only when the server says created / updated / unchanged;
 * - the outbox is sent (POST /asystent/api/sync) at start, when the phone comes
 *   online, every minute while something waits, and on demand;
 * - a conflict (the visit was changed elsewhere) shows both versions and lets the
 *   assistant choose; a refused visit waits, with the server's reason, to be
 *   corrected or discarded;
 * - what the phone holds is deleted at logout (after a warning when visits wait), and
 *   the families' data after `max_offline_days` without a successful sync (the visits
 *   waiting to be sent stay until they are sent or discarded).
 * Every text the user sees is Polish.
 */
(function () {
    "use strict";

    const API_CASES = "/asystent/api/cases";
    const API_SYNC = "/asystent/api/sync";
    const LOGIN_URL = "/web/login?redirect=/asystent";
    const LOGOUT_URL = "/web/session/logout?redirect=/asystent";
    const DB_NAME = "asystent-rodziny";
    const CACHE_PREFIX = "asystent-";
    const DEFAULT_MAX_OFFLINE_DAYS = 7;
    const RETRY_MS = 60 * 1000;
    const REQUEST_TIMEOUT_MS = 30 * 1000;
    const DAY_MS = 24 * 3600 * 1000;
    const MAX_DURATION_MIN = 12 * 60;

    // ------------------------------------------------------------------ DOM helpers
    function h(tag, attrs, ...children) {
        const el = document.createElement(tag);
        for (const [key, value] of Object.entries(attrs || {})) {
            if (value === null || value === undefined || value === false) {
                continue;
            }
            if (key.startsWith("on")) {
                el.addEventListener(key.slice(2), value);
            } else if (key === "class") {
                el.className = value;
            } else if (key === "value" || key === "checked") {
                el[key] = value;
            } else {
                el.setAttribute(key, value === true ? "" : value);
            }
        }
        append(el, children);
        return el;
    }

    function append(el, children) {
        for (const child of children.flat(Infinity)) {
            if (child !== null && child !== undefined && child !== false && child !== "") {
                el.append(child instanceof Node ? child : String(child));
            }
        }
        return el;
    }

    const ICONS = {
        back: '<path d="M15 5l-7 7 7 7" />',
        phone:
            '<path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z" />',
        pin: '<path d="M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z" /><circle cx="12" cy="9.5" r="2.5" />',
        calendar:
            '<rect x="4" y="5" width="16" height="16" rx="2" /><path d="M4 10h16M9 3v4M15 3v4" />',
        clock: '<circle cx="12" cy="12" r="8.5" /><path d="M12 7.5V12l3 2" />',
        plus: '<path d="M12 5v14M5 12h14" />',
        sync: '<path d="M20 12a8 8 0 0 1-14.3 4.9M4 12a8 8 0 0 1 14.3-4.9" /><path d="M18.5 3v4.2h-4.2M5.5 21v-4.2h4.2" />',
        check: '<path d="M5 12.5l4.5 4.5L19 7.5" />',
        chevron: '<path d="M9 5l7 7-7 7" />',
        alert: '<path d="M12 3l9.5 17h-19z" /><path d="M12 10v4.5M12 17.5v.5" />',
        pen: '<path d="M4 20l4-1 11-11-3-3L5 16z" />',
        logout: '<path d="M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10" />',
    };

    function icon(name) {
        const span = document.createElement("span");
        span.className = "fa-icon";
        span.setAttribute("aria-hidden", "true");
        // constant markup of this file, never user data
        span.innerHTML = `<svg viewBox="0 0 24 24" width="22" height="22">${ICONS[name]}</svg>`;
        return span;
    }

    // ------------------------------------------------------------------ dates
    function pad(n) {
        return String(n).padStart(2, "0");
    }
    /** A UTC "YYYY-MM-DD HH:MM:SS" of the server as a Date. */
    function parseUtc(text) {
        return text ? new Date(text.replace(" ", "T") + "Z") : null;
    }
    /** A Date as the server's UTC "YYYY-MM-DD HH:MM:SS". */
    function toUtc(date) {
        return date.toISOString().slice(0, 19).replace("T", " ");
    }
    /** A "YYYY-MM-DD" date (a day, no time) as a local Date at midnight. */
    function parseDay(text) {
        if (!text) {
            return null;
        }
        const [y, m, d] = text.split("-").map(Number);
        return new Date(y, m - 1, d);
    }
    function localDayValue(date) {
        return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    }
    function localTimeValue(date) {
        return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
    }
    function startOfDay(date) {
        return new Date(date.getFullYear(), date.getMonth(), date.getDate());
    }
    const FMT_DAY = new Intl.DateTimeFormat("pl-PL", { day: "numeric", month: "long" });
    const FMT_DAY_YEAR = new Intl.DateTimeFormat("pl-PL", {
        day: "numeric",
        month: "long",
        year: "numeric",
    });
    const FMT_WEEKDAY = new Intl.DateTimeFormat("pl-PL", { weekday: "short" });
    const FMT_TIME = new Intl.DateTimeFormat("pl-PL", { hour: "2-digit", minute: "2-digit" });

    function daysFromToday(date) {
        return Math.round((startOfDay(date) - startOfDay(new Date())) / DAY_MS);
    }
    function formatDay(date) {
        const days = daysFromToday(date);
        if (days === 0) {
            return "dziś";
        }
        if (days === -1) {
            return "wczoraj";
        }
        if (days === 1) {
            return "jutro";
        }
        const sameYear = date.getFullYear() === new Date().getFullYear();
        return (sameYear ? FMT_DAY : FMT_DAY_YEAR).format(date);
    }
    function formatDateTime(date) {
        const days = daysFromToday(date);
        const day = Math.abs(days) <= 1 ? formatDay(date) : `${FMT_WEEKDAY.format(date)} ${formatDay(date)}`;
        return `${day}, ${FMT_TIME.format(date)}`;
    }
    function plural(n, one, few, many) {
        if (n === 1) {
            return one;
        }
        const last = n % 10;
        const lastTwo = n % 100;
        return last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14) ? few : many;
    }
    function relativeDays(days) {
        if (days === 0) {
            return "dziś";
        }
        const n = Math.abs(days);
        const word = `${n} ${plural(n, "dzień", "dni", "dni")}`;
        return days > 0 ? `za ${word}` : `${word} temu`;
    }
    function formatDuration(hours) {
        const minutes = Math.round((hours || 0) * 60);
        const whole = Math.floor(minutes / 60);
        const rest = minutes % 60;
        if (!whole) {
            return `${rest} min`;
        }
        return rest ? `${whole} h ${rest} min` : `${whole} h`;
    }

    function newUuid() {
        if (self.crypto && crypto.randomUUID) {
            return crypto.randomUUID();
        }
        // crypto.randomUUID needs a secure context; getRandomValues does not
        const bytes = crypto.getRandomValues(new Uint8Array(16));
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }

    // ------------------------------------------------------------------ IndexedDB
    let dbPromise = null;
    function openDb() {
        if (!dbPromise) {
            dbPromise = new Promise((resolve, reject) => {
                const request = indexedDB.open(DB_NAME, 1);
                request.onupgradeneeded = () => {
                    const db = request.result;
                    db.createObjectStore("kv");
                    db.createObjectStore("outbox", { keyPath: "uuid" });
                };
                request.onsuccess = () => resolve(request.result);
                request.onerror = () => reject(request.error);
            });
        }
        return dbPromise;
    }
    /** Runs `work(store)` in one transaction; resolves with its request's result when committed. */
    async function withStore(name, mode, work) {
        const db = await openDb();
        return new Promise((resolve, reject) => {
            const tx = db.transaction(name, mode);
            const request = work(tx.objectStore(name));
            tx.oncomplete = () => resolve(request ? request.result : undefined);
            tx.onerror = () => reject(tx.error);
            tx.onabort = () => reject(tx.error || new Error("abort"));
        });
    }
    const store = {
        get: (key) => withStore("kv", "readonly", (s) => s.get(key)),
        set: (key, value) => withStore("kv", "readwrite", (s) => s.put(value, key)),
        del: (key) => withStore("kv", "readwrite", (s) => s.delete(key)),
        outbox: () => withStore("outbox", "readonly", (s) => s.getAll()),
        outboxGet: (uuid) => withStore("outbox", "readonly", (s) => s.get(uuid)),
        outboxPut: (item) => withStore("outbox", "readwrite", (s) => s.put(item)),
        outboxDelete: (uuid) => withStore("outbox", "readwrite", (s) => s.delete(uuid)),
        /** What the phone holds of the families (not the visits waiting to be sent). */
        clearData: () => withStore("kv", "readwrite", (s) => s.clear()),
        async clear() {
            await withStore("kv", "readwrite", (s) => s.clear());
            await withStore("outbox", "readwrite", (s) => s.clear());
        },
    };

    // ------------------------------------------------------------------ state
    const state = {
        data: null, // the last answer of /asystent/api/cases
        lastSync: null, // when it came (ms)
        outbox: [], // visits waiting to be sent
        syncing: false,
        reachable: true, // the last request reached the server
        authNeeded: false,
        error: null,
        notice: null,
    };
    let syncAgain = false;
    let syncCount = 0;
    let syncPromise = null;

    async function loadLocal() {
        state.data = (await store.get("cases")) || null;
        state.lastSync = (await store.get("lastSync")) || null;
        await loadOutbox();
    }
    async function loadOutbox() {
        const items = await store.outbox();
        items.sort((a, b) => (a.saved_at || 0) - (b.saved_at || 0));
        state.outbox = items;
    }

    function maxOfflineDays() {
        return (state.data && state.data.max_offline_days) || DEFAULT_MAX_OFFLINE_DAYS;
    }
    function isStale() {
        return Boolean(state.lastSync) && Date.now() - state.lastSync > maxOfflineDays() * DAY_MS;
    }
    /** Too long without a sync: what the phone holds of the families goes; the
     * visits waiting to be sent stay (nothing the assistant logged is lost). */
    async function forgetIfStale() {
        if (!isStale()) {
            return false;
        }
        const days = maxOfflineDays();
        await store.clearData();
        state.data = null;
        state.lastSync = null;
        state.notice = `Dane rodzin usunięto z telefonu, bo przez ponad ${days} ${plural(days, "dzień", "dni", "dni")} nie było połączenia z serwerem. Wizyty czekające na wysłanie zostały. Połącz się z internetem i naciśnij „Synchronizuj”.`;
        return true;
    }

    function findCase(id) {
        return state.data ? state.data.cases.find((c) => c.id === Number(id)) : null;
    }
    function options(name) {
        return (state.data && state.data.options && state.data.options[name]) || [];
    }
    function optionLabel(name, key) {
        const found = options(name).find((pair) => pair[0] === key);
        return found ? found[1] : key || "";
    }
    function outboxOf(caseId) {
        return state.outbox.filter((item) => item.assignment_id === Number(caseId));
    }

    /** The server's copy of a visit into the local case (after a sync). */
    function applyServerVisit(caseId, visit) {
        const found = findCase(visit.assignment_id || caseId);
        if (!found) {
            return;
        }
        const visits = found.visits.filter((v) => v.uuid !== visit.uuid && v.id !== visit.id);
        visits.push(visit);
        visits.sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : b.id - a.id));
        found.visits = visits;
        const day = localDayValue(parseUtc(visits[0].start));
        if (!found.last_visit || day > found.last_visit) {
            found.last_visit = day;
        }
    }

    // ------------------------------------------------------------------ network
    async function request(url, init) {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
        try {
            const response = await fetch(url, {
                credentials: "same-origin",
                cache: "no-store",
                signal: controller.signal,
                ...init,
                headers: { Accept: "application/json", ...((init && init.headers) || {}) },
            });
            const type = response.headers.get("Content-Type") || "";
            if (response.status === 401 || response.redirected || !type.includes("json")) {
                // no session (a redirect to the login page is one too)
                const error = new Error("auth");
                error.auth = response.status === 401 || response.redirected;
                error.status = response.status;
                throw error;
            }
            const body = await response.json();
            if (!response.ok) {
                const error = new Error(body.error || `HTTP ${response.status}`);
                error.status = response.status;
                error.serverMessage = body.error;
                throw error;
            }
            return body;
        } finally {
            clearTimeout(timer);
        }
    }

    function payload(item) {
        return {
            uuid: item.uuid,
            assignment_id: item.assignment_id,
            start: item.start,
            duration: item.duration,
            kind: item.kind,
            place: item.place,
            member_ids: item.member_ids,
            duty_ids: item.duty_ids,
            actions_taken: item.actions_taken,
            next_steps: item.next_steps,
            signature: item.signature || null,
            signed_by: item.signed_by || null,
            base_write_date: item.base_write_date || null,
            base_revision: item.base_revision === undefined ? null : item.base_revision,
        };
    }

    /** Sends the outbox, then fetches the cases. One at a time; a call during a sync runs again after it. */
    function sync() {
        if (state.syncing) {
            syncAgain = true;
            return syncPromise;
        }
        syncPromise = (async () => {
            state.syncing = true;
            state.error = null;
            refresh();
            try {
                do {
                    syncAgain = false;
                    await syncOnce();
                } while (syncAgain);
            } finally {
                state.syncing = false;
                syncCount += 1;
                // for the browser test: how many syncs have ended
                document.documentElement.dataset.syncCount = String(syncCount);
                refresh();
            }
        })();
        return syncPromise;
    }

    async function syncOnce() {
        let newConflict = null;
        let refused = 0;
        try {
            await loadOutbox();
            const user = state.data && state.data.user ? state.data.user.id : null;
            const sending = state.outbox.filter(
                (item) => item.status === "pending" && (!item.user_id || !user || item.user_id === user)
            );
            if (sending.length) {
                const sent = new Map(sending.map((item) => [item.uuid, item.rev]));
                const answer = await request(API_SYNC, {
                    method: "POST",
                    headers: { "Content-Type": "application/json" },
                    body: JSON.stringify({ visits: sending.map(payload) }),
                });
                state.reachable = true;
                state.authNeeded = false;
                for (const result of answer.results || []) {
                    const item = await store.outboxGet(result.uuid);
                    if (!item) {
                        continue;
                    }
                    const unchangedSince = item.rev === sent.get(result.uuid);
                    if (["created", "updated", "unchanged"].includes(result.status)) {
                        if (result.server) {
                            applyServerVisit(item.assignment_id, result.server);
                        }
                        if (unchangedSince) {
                            await store.outboxDelete(item.uuid);
                        } else if (result.server) {
                            // edited again while it was on its way: send the edit next
                            item.base_write_date = result.server.write_date;
                            item.base_revision = result.server.revision;
                            item.id = result.id;
                            await store.outboxPut(item);
                        }
                    } else if (result.status === "conflict" && unchangedSince) {
                        item.status = "conflict";
                        item.server = result.server || null;
                        item.message = result.message;
                        await store.outboxPut(item);
                        newConflict = newConflict || item.uuid;
                    } else if (result.status === "refused" && unchangedSince) {
                        item.status = "refused";
                        item.message = result.message || "Serwer nie przyjął tej wizyty.";
                        await store.outboxPut(item);
                        refused += 1;
                    }
                }
                if (state.data) {
                    await store.set("cases", state.data);
                }
            }
            const data = await request(API_CASES);
            state.reachable = true;
            state.authNeeded = false;
            if (state.data && state.data.user && data.user && state.data.user.id !== data.user.id) {
                // another person logged in on this phone: nothing of the previous one stays
                await store.clear();
            }
            state.data = data;
            state.lastSync = Date.now();
            await store.set("cases", data);
            await store.set("lastSync", state.lastSync);
            state.notice = null;
        } catch (error) {
            if (error.auth) {
                state.authNeeded = true;
            } else if (error.status) {
                state.reachable = true;
                state.error = error.serverMessage || `Serwer odpowiedział błędem (${error.status}). Spróbuj ponownie za chwilę.`;
            } else {
                state.reachable = false; // no network, or too slow
            }
        }
        await loadOutbox();
        if (refused) {
            toast(
                refused === 1
                    ? "Serwer nie przyjął 1 wizyty – popraw ją w „Do wysłania”."
                    : `Serwer nie przyjął ${refused} wizyt – popraw je w „Do wysłania”.`,
                "warn"
            );
        }
        if (newConflict) {
            toast("Wizytę zmieniono też w innym miejscu – wybierz, którą wersję zachować.", "warn");
            if (currentView().live) {
                location.hash = `#/konflikt/${newConflict}`;
            }
        }
    }

    function online() {
        return navigator.onLine !== false;
    }
    function syncIfOnline() {
        if (online()) {
            return sync();
        }
        refresh();
        return Promise.resolve();
    }

    // ------------------------------------------------------------------ shell: header, banners, toast
    const app = document.getElementById("app");
    const userName = (app && app.dataset.userName) || "";
    let headerEl;
    let bannerEl;
    let mainEl;
    let toastEl;
    let toastTimer;

    function buildShell() {
        app.textContent = "";
        headerEl = h("header", { class: "fa-header" });
        bannerEl = h("div", { class: "fa-banners", "aria-live": "polite" });
        mainEl = h("main", { class: "fa-main", id: "fa-main" });
        toastEl = h("div", { class: "fa-toast", role: "status", "aria-live": "polite" });
        append(app, [headerEl, bannerEl, mainEl, toastEl]);
    }

    function toast(text, kind) {
        toastEl.textContent = text;
        toastEl.className = `fa-toast is-shown ${kind ? "is-" + kind : ""}`;
        clearTimeout(toastTimer);
        toastTimer = setTimeout(() => (toastEl.className = "fa-toast"), 4000);
    }

    function lastSyncText() {
        if (!state.lastSync) {
            return "jeszcze bez synchronizacji";
        }
        return `synchronizacja: ${formatDateTime(new Date(state.lastSync))}`;
    }

    function connectionText() {
        if (!online()) {
            return ["is-offline", "Brak internetu"];
        }
        if (!state.reachable) {
            return ["is-offline", "Brak połączenia z serwerem"];
        }
        return ["is-online", "Połączono"];
    }

    function renderHeader(view) {
        headerEl.textContent = "";
        const waiting = state.outbox.length;
        const attention = state.outbox.filter((item) => item.status !== "pending").length;
        const [connClass, connText] = connectionText();
        const top = h(
            "div",
            { class: "fa-topbar" },
            view.back
                ? h("a", { class: "fa-back", href: view.back, "aria-label": "Wróć" }, icon("back"))
                : h("img", {
                      class: "fa-logo",
                      src: "/family_assistant/static/src/phone/icon-192.png",
                      alt: "",
                      width: 36,
                      height: 36,
                  }),
            h(
                "div",
                { class: "fa-title" },
                h("h1", {}, view.title),
                view.subtitle ? h("p", {}, view.subtitle) : null
            ),
            view.home
                ? h("button", { class: "fa-logout", type: "button", onclick: logout }, icon("logout"), "Wyloguj")
                : null
        );
        const status = h(
            "div",
            { class: `fa-status ${connClass}` },
            h(
                "a",
                { class: "fa-status-text", href: "#/do-wyslania" },
                h(
                    "strong",
                    { class: `fa-outbox-count ${waiting ? "is-waiting" : "is-done"}` },
                    h("span", { class: "fa-dot", "aria-hidden": "true" }),
                    waiting ? `Do wysłania: ${waiting}` : "Wszystko wysłane"
                ),
                attention ? h("span", { class: "fa-attention" }, `Wymaga uwagi: ${attention}`) : null,
                h("small", { class: "fa-status-line" }, h("span", { class: "fa-conn" }, connText), " · ", h("span", { class: "fa-last-sync" }, lastSyncText()))
            ),
            h(
                "button",
                {
                    class: `fa-sync ${state.syncing ? "is-busy" : ""}`,
                    type: "button",
                    disabled: state.syncing,
                    onclick: () => {
                        if (!online()) {
                            toast("Brak internetu. Wizyty są bezpieczne w telefonie – wyślemy je po połączeniu.", "warn");
                            return;
                        }
                        sync();
                    },
                },
                icon("sync"),
                state.syncing ? "Synchronizuję…" : "Synchronizuj"
            )
        );
        append(headerEl, [top, status]);
    }

    function renderBanners() {
        bannerEl.textContent = "";
        if (state.authNeeded) {
            append(bannerEl, [
                h(
                    "div",
                    { class: "fa-banner is-danger" },
                    h("p", {}, "Sesja wygasła. Wizyty zapisane w telefonie są bezpieczne – zaloguj się, aby je wysłać."),
                    h("a", { class: "fa-btn is-primary", href: LOGIN_URL }, "Zaloguj się ponownie")
                ),
            ]);
        }
        if (state.error) {
            append(bannerEl, [h("div", { class: "fa-banner is-warn" }, h("p", {}, state.error))]);
        }
        if (state.notice) {
            append(bannerEl, [h("div", { class: "fa-banner is-warn" }, h("p", {}, state.notice))]);
        }
    }

    // ------------------------------------------------------------------ routing
    const ROUTES = [
        [/^#?\/?$/, viewFamilies],
        [/^#\/rodzina\/(\d+)$/, viewFamily],
        [/^#\/wizyta\/(\d+)$/, viewVisitForm],
        [/^#\/wizyta\/(\d+)\/([\w-]+)$/, viewVisitForm],
        [/^#\/do-wyslania$/, viewOutbox],
        [/^#\/konflikt\/([\w-]+)$/, viewConflict],
    ];
    let current = null;

    function currentView() {
        return current || { live: true };
    }

    function route() {
        const hash = location.hash || "#/";
        for (const [pattern, view] of ROUTES) {
            const match = hash.match(pattern);
            if (match) {
                current = view(...match.slice(1));
                renderHeader(current);
                renderBanners();
                mainEl.textContent = "";
                append(mainEl, [current.body]);
                document.title = `${current.title} – Asystent rodziny`;
                window.scrollTo(0, 0);
                if (current.focus) {
                    current.focus();
                }
                return;
            }
        }
        location.hash = "#/";
    }

    /** After a sync or a change of connection: the header always, the screen unless it is a form being filled. */
    function refresh() {
        if (!current || !headerEl) {
            return;
        }
        if (current.live && current.rerender) {
            const scroll = window.scrollY;
            current = current.rerender();
            mainEl.textContent = "";
            append(mainEl, [current.body]);
            window.scrollTo(0, scroll);
        }
        renderHeader(current);
        renderBanners();
    }

    // ------------------------------------------------------------------ screen: families
    function viewFamilies() {
        const view = { title: "Moje rodziny", subtitle: userName, home: true, live: true };
        view.rerender = viewFamilies;
        const cases = state.data ? state.data.cases : null;
        if (!cases) {
            view.body = h(
                "section",
                { class: "fa-empty" },
                h("p", {}, online() ? "Wczytuję Twoje rodziny…" : "W telefonie nie ma jeszcze danych rodzin."),
                online() ? null : h("p", {}, "Połącz się z internetem i naciśnij „Synchronizuj”.")
            );
            return view;
        }
        if (!cases.length) {
            view.body = h("section", { class: "fa-empty" }, h("p", {}, "Nie masz teraz rodzin w pracy."));
            return view;
        }
        view.body = h("section", { class: "fa-list" }, cases.map(familyCard));
        return view;
    }

    function familyCard(c) {
        const waiting = outboxOf(c.id).length;
        const last = parseDay(c.last_visit);
        return h(
            "article",
            { class: "fa-card fa-family-card", "data-case-id": c.id },
            h(
                "a",
                { class: "fa-card-head", href: `#/rodzina/${c.id}` },
                h("h2", {}, c.family),
                h(
                    "span",
                    { class: "fa-card-tags" },
                    c.monitoring ? h("span", { class: "fa-tag is-info" }, "Monitoring") : null,
                    waiting ? h("span", { class: "fa-tag is-warn" }, `Czeka: ${waiting}`) : null,
                    icon("chevron")
                )
            ),
            h("p", { class: "fa-case-no" }, c.name),
            c.address ? h("p", { class: "fa-line" }, icon("pin"), c.address) : null,
            c.phone ? h("a", { class: "fa-line fa-tel", href: `tel:${c.phone.replace(/[^\d+]/g, "")}` }, icon("phone"), c.phone) : null,
            h(
                "p",
                { class: "fa-line" },
                icon("clock"),
                last ? "Ostatnia wizyta: " + formatDay(last) + (Math.abs(daysFromToday(last)) > 1 ? " (" + relativeDays(daysFromToday(last)) + ")" : "") : "Jeszcze bez wizyt"
            ),
            deadlineList(c.deadlines),
            h(
                "div",
                { class: "fa-card-actions" },
                h("a", { class: "fa-btn", href: `#/rodzina/${c.id}` }, "Szczegóły"),
                h("a", { class: "fa-btn is-primary fa-new-visit", href: `#/wizyta/${c.id}` }, icon("plus"), "Nowa wizyta")
            )
        );
    }

    function deadlineList(deadlines) {
        if (!deadlines || !deadlines.length) {
            return null;
        }
        return h(
            "ul",
            { class: "fa-deadlines" },
            deadlines.map((d) => {
                const date = parseDay(d.date);
                const days = date ? daysFromToday(date) : null;
                const late = days !== null && days < 0;
                return h(
                    "li",
                    { class: late ? "is-late" : days !== null && days <= 3 ? "is-soon" : "" },
                    icon("calendar"),
                    h("span", { class: "fa-deadline-name" }, d.name),
                    date
                        ? h("span", { class: "fa-deadline-date" }, formatDay(date) + (late ? " – po terminie" : " (" + relativeDays(days) + ")"))
                        : null
                );
            })
        );
    }

    // ------------------------------------------------------------------ screen: one family
    function viewFamily(caseId) {
        const c = findCase(caseId);
        const view = { title: c ? c.family : "Rodzina", subtitle: c ? c.name : "", back: "#/", live: true };
        view.rerender = () => viewFamily(caseId);
        if (!c) {
            view.body = h("section", { class: "fa-empty" }, h("p", {}, "Nie ma tej rodziny w telefonie."));
            return view;
        }
        const pending = outboxOf(c.id);
        const pendingUuids = new Set(pending.map((item) => item.uuid));
        const visits = c.visits.filter((v) => !pendingUuids.has(v.uuid));
        view.body = h(
            "div",
            { class: "fa-family" },
            h(
                "section",
                { class: "fa-card" },
                c.address ? h("p", { class: "fa-line" }, icon("pin"), c.address) : null,
                c.phone ? h("a", { class: "fa-line fa-tel", href: `tel:${c.phone.replace(/[^\d+]/g, "")}` }, icon("phone"), c.phone) : null,
                c.monitoring ? h("p", { class: "fa-line" }, h("span", { class: "fa-tag is-info" }, "Monitoring")) : null,
                deadlineList(c.deadlines)
            ),
            h("a", { class: "fa-btn is-primary is-big fa-new-visit", href: `#/wizyta/${c.id}` }, icon("plus"), "Nowa wizyta"),
            h(
                "section",
                { class: "fa-section" },
                h("h2", {}, "Wizyty"),
                pending.length || visits.length
                    ? h(
                          "ul",
                          { class: "fa-visits" },
                          pending.map((item) => visitRow(c, item, item.status)),
                          visits.map((v) => visitRow(c, v, null))
                      )
                    : h("p", { class: "fa-muted" }, "Jeszcze nie ma wizyt.")
            ),
            h(
                "section",
                { class: "fa-section" },
                h("h2", {}, "Zadania rodziny"),
                c.tasks.length
                    ? h(
                          "ul",
                          { class: "fa-tasks" },
                          c.tasks.map((t) => {
                              const date = parseDay(t.deadline);
                              const late = date && daysFromToday(date) < 0;
                              return h(
                                  "li",
                                  { class: late ? "is-late" : "" },
                                  h("span", {}, t.name),
                                  date ? h("small", {}, `termin: ${formatDay(date)}${late ? " – po terminie" : ""}`) : null
                              );
                          })
                      )
                    : h("p", { class: "fa-muted" }, "Brak otwartych zadań.")
            ),
            h(
                "section",
                { class: "fa-section" },
                h("h2", {}, "Plan pracy – cele"),
                c.goals.length
                    ? c.goals.map((g) =>
                          h(
                              "details",
                              { class: "fa-goal" },
                              h("summary", {}, g.name),
                              g.actions.length ? h("ul", {}, g.actions.map((a) => h("li", {}, a))) : h("p", { class: "fa-muted" }, "Bez działań.")
                          )
                      )
                    : h("p", { class: "fa-muted" }, "Plan pracy nie jest jeszcze wprowadzony.")
            )
        );
        return view;
    }

    const STATUS_TEXT = {
        pending: ["is-warn", "Czeka na wysłanie"],
        refused: ["is-danger", "Serwer nie przyjął"],
        conflict: ["is-danger", "Zmieniona gdzie indziej – wybierz wersję"],
    };

    function visitRow(c, visit, status) {
        const start = parseUtc(visit.start);
        const editable = status ? true : visit.editable;
        const href = status === "conflict" ? `#/konflikt/${visit.uuid}` : `#/wizyta/${c.id}/${visit.uuid}`;
        const signed = status ? Boolean(visit.signature || visit.signed) : visit.signed;
        const content = [
            h(
                "span",
                { class: "fa-visit-head" },
                h("strong", {}, start ? formatDateTime(start) : ""),
                h("span", { class: "fa-visit-duration" }, formatDuration(visit.duration))
            ),
            h("span", { class: "fa-visit-kind" }, optionLabel("kind", visit.kind)),
            visit.actions_taken ? h("span", { class: "fa-visit-text" }, visit.actions_taken) : null,
            h(
                "span",
                { class: "fa-visit-meta" },
                signed ? h("span", { class: "fa-signed" }, icon("check"), `Podpis: ${visit.signed_by || "tak"}`) : h("span", { class: "fa-muted" }, "Bez podpisu"),
                status ? h("span", { class: `fa-tag ${STATUS_TEXT[status][0]}` }, STATUS_TEXT[status][1]) : null
            ),
            status === "refused" && visit.message ? h("span", { class: "fa-message" }, visit.message) : null,
        ];
        if (!editable) {
            return h("li", { class: "fa-visit is-readonly" }, content);
        }
        return h(
            "li",
            { class: "fa-visit" },
            h("a", { class: "fa-visit-link", href, "data-uuid": visit.uuid }, content, h("span", { class: "fa-visit-edit" }, icon("pen")))
        );
    }

    // ------------------------------------------------------------------ screen: new visit / edit
    function viewVisitForm(caseId, uuid) {
        const c = findCase(caseId);
        const view = { title: "Nowa wizyta", subtitle: c ? c.family : "", back: c ? `#/rodzina/${c.id}` : "#/", live: false };
        if (!c) {
            view.live = true;
            view.body = h("section", { class: "fa-empty" }, h("p", {}, "Nie ma tej rodziny w telefonie."));
            return view;
        }
        // what is edited: an outbox item, a visit of the server, or nothing (new)
        let item = uuid ? state.outbox.find((i) => i.uuid === uuid) : null;
        if (!item && uuid) {
            const visit = c.visits.find((v) => v.uuid === uuid);
            if (!visit || !visit.editable) {
                view.live = true;
                view.body = h("section", { class: "fa-empty" }, h("p", {}, "Tej wizyty nie można już zmienić."));
                return view;
            }
            item = {
                uuid: visit.uuid,
                id: visit.id,
                assignment_id: c.id,
                start: visit.start,
                duration: visit.duration,
                kind: visit.kind,
                place: visit.place,
                member_ids: visit.member_ids.slice(),
                duty_ids: visit.duty_ids.slice(),
                actions_taken: visit.actions_taken,
                next_steps: visit.next_steps,
                signature: null,
                signed: visit.signed,
                signed_by: visit.signed_by,
                base_write_date: visit.write_date,
                base_revision: visit.revision,
            };
        }
        const editing = Boolean(item);
        if (editing) {
            view.title = "Zmiana wizyty";
        }
        const now = new Date();
        now.setSeconds(0, 0);
        const start = item ? parseUtc(item.start) : now;
        let minutes = Math.round((item ? item.duration : 1) * 60);
        const kinds = options("kind");
        const places = options("place");

        const errorsEl = h("div", { class: "fa-form-errors", role: "alert" });
        // what is typed is kept on the phone as a draft until it is saved or cancelled
        // (a phone call, the back button or a closed browser loses nothing)
        const draftKey = `draft:${c.id}:${uuid || "new"}`;
        const draftNote = h("div", { class: "fa-draft-note", "aria-live": "polite" });
        let finished = false;
        let draftTimer = null;
        function scheduleDraft() {
            if (finished) {
                return;
            }
            clearTimeout(draftTimer);
            draftTimer = setTimeout(() => {
                if (!finished) {
                    store.set(draftKey, collect()).catch(() => {});
                }
            }, 400);
        }
        function stopDraft() {
            finished = true;
            clearTimeout(draftTimer);
        }
        const checked = (list) =>
            list.map((label) => label.querySelector("input")).filter((input) => input.checked).map((input) => Number(input.value));
        const dateInput = h("input", { type: "date", name: "date", value: localDayValue(start), max: localDayValue(new Date()), required: true });
        const timeInput = h("input", { type: "time", name: "time", value: localTimeValue(start), required: true });
        const durationOut = h("output", { class: "fa-duration-value", name: "duration" }, formatDuration(minutes / 60));
        function setMinutes(value) {
            const quarters = Number.isFinite(value) ? Math.round(value / 15) * 15 : 60;
            minutes = Math.min(MAX_DURATION_MIN, Math.max(15, quarters));
            durationOut.textContent = formatDuration(minutes / 60);
            scheduleDraft();
        }
        const kindSelect = h(
            "select",
            { name: "kind" },
            kinds.map(([key, label]) => h("option", { value: key, selected: (item ? item.kind : "home_visit") === key }, label))
        );
        const placeSelect = h(
            "select",
            { name: "place" },
            places.map(([key, label]) => h("option", { value: key, selected: (item ? item.place : "home") === key }, label))
        );
        const memberIds = new Set(item ? item.member_ids : []);
        const dutyIds = new Set(item ? item.duty_ids : []);
        const memberChecks = c.members.map((m) =>
            h(
                "label",
                { class: "fa-check" },
                h("input", { type: "checkbox", name: "member_ids", value: String(m.id), checked: memberIds.has(m.id) }),
                h("span", {}, m.name, m.role ? h("small", {}, m.role) : null)
            )
        );
        const dutyCount = h("span", { class: "fa-count" });
        const dutyChecks = options("duties").map(([id, label]) =>
            h(
                "label",
                { class: "fa-check" },
                h("input", { type: "checkbox", name: "duty_ids", value: String(id), checked: dutyIds.has(id), onchange: countDuties }),
                h("span", {}, label)
            )
        );
        function countDuties() {
            const n = dutyChecks.filter((l) => l.querySelector("input").checked).length;
            dutyCount.textContent = n ? `wybrano: ${n}` : "";
        }
        countDuties();
        const actionsInput = h("textarea", { name: "actions_taken", rows: 4, placeholder: "Np. rozmowa o budżecie domowym, kontrola zeszytów dzieci…" });
        actionsInput.value = (item && item.actions_taken) || "";
        const nextInput = h("textarea", { name: "next_steps", rows: 3, placeholder: "Co dalej, do kiedy, kto…" });
        nextInput.value = (item && item.next_steps) || "";
        const signedByInput = h("input", { type: "text", name: "signed_by", autocomplete: "off", placeholder: "Imię i nazwisko", value: (item && item.signed_by) || "" });
        const signPad = signaturePad(item && item.signature, () => scheduleDraft());
        const signedBefore = Boolean(item && !item.signature && item.signed);

        const form = h(
            "form",
            {
                class: "fa-form",
                novalidate: true,
                onsubmit: (event) => {
                    event.preventDefault();
                    save();
                },
            },
            draftNote,
            errorsEl,
            h(
                "div",
                { class: "fa-row" },
                h("label", { class: "fa-field" }, h("span", {}, "Data"), dateInput),
                h("label", { class: "fa-field" }, h("span", {}, "Godzina"), timeInput)
            ),
            h(
                "div",
                { class: "fa-field" },
                h("span", { id: "fa-duration-label" }, "Czas trwania"),
                h(
                    "div",
                    { class: "fa-stepper", role: "group", "aria-labelledby": "fa-duration-label" },
                    h("button", { type: "button", class: "fa-step", "aria-label": "Krócej o 15 minut", onclick: () => setMinutes(minutes - 15) }, "−"),
                    durationOut,
                    h("button", { type: "button", class: "fa-step", "aria-label": "Dłużej o 15 minut", onclick: () => setMinutes(minutes + 15) }, "+")
                )
            ),
            h("label", { class: "fa-field" }, h("span", {}, "Rodzaj"), kindSelect),
            h("label", { class: "fa-field" }, h("span", {}, "Miejsce"), placeSelect),
            h(
                "fieldset",
                { class: "fa-fieldset" },
                h("legend", {}, "Obecni członkowie rodziny"),
                memberChecks.length ? memberChecks : h("p", { class: "fa-muted" }, "Brak członków rodziny w danych.")
            ),
            h(
                "details",
                { class: "fa-fieldset fa-duties", open: dutyIds.size > 0 },
                h("summary", {}, "Zadania ustawowe (art. 15 ust. 1) ", dutyCount),
                dutyChecks
            ),
            h("label", { class: "fa-field" }, h("span", {}, "Co zostało zrobione"), actionsInput),
            h("label", { class: "fa-field" }, h("span", {}, "Dalsze kroki"), nextInput),
            h(
                "fieldset",
                { class: "fa-fieldset fa-signature" },
                h("legend", {}, "Podpis rodziny"),
                signedBefore
                    ? h("p", { class: "fa-muted" }, `Wizyta jest już podpisana (${item.signed_by || "podpis"}). Narysuj nowy podpis tylko wtedy, gdy trzeba go zmienić.`)
                    : h("p", { class: "fa-muted" }, "Poproś członka rodziny o podpis palcem w ramce."),
                signPad.element,
                h(
                    "div",
                    { class: "fa-sign-tools" },
                    h("button", { type: "button", class: "fa-btn is-small fa-clear", onclick: () => signPad.clear() }, "Wyczyść")
                ),
                h("label", { class: "fa-field" }, h("span", {}, "Podpisał(a)"), signedByInput),
                c.members.length
                    ? h(
                          "div",
                          { class: "fa-chips" },
                          c.members.map((m) =>
                              h(
                                  "button",
                                  {
                                      type: "button",
                                      class: "fa-chip",
                                      onclick: () => {
                                          signedByInput.value = m.name;
                                          scheduleDraft();
                                      },
                                  },
                                  m.name
                              )
                          )
                      )
                    : null
            ),
            h(
                "div",
                { class: "fa-form-actions" },
                h("button", { type: "button", class: "fa-btn", onclick: cancel }, "Anuluj"),
                h("button", { type: "submit", class: "fa-btn is-primary fa-save" }, "Zapisz wizytę")
            )
        );

        function collect() {
            return {
                date: dateInput.value,
                time: timeInput.value,
                minutes,
                kind: kindSelect.value,
                place: placeSelect.value,
                member_ids: checked(memberChecks),
                duty_ids: checked(dutyChecks),
                actions_taken: actionsInput.value,
                next_steps: nextInput.value,
                signature: signPad.data(),
                signed_by: signedByInput.value,
                saved_at: Date.now(),
            };
        }
        function applyDraft(draft) {
            dateInput.value = draft.date;
            timeInput.value = draft.time;
            kindSelect.value = draft.kind;
            placeSelect.value = draft.place;
            for (const [list, ids] of [
                [memberChecks, draft.member_ids],
                [dutyChecks, draft.duty_ids],
            ]) {
                for (const label of list) {
                    const input = label.querySelector("input");
                    input.checked = ids.includes(Number(input.value));
                }
            }
            countDuties();
            actionsInput.value = draft.actions_taken;
            nextInput.value = draft.next_steps;
            signedByInput.value = draft.signed_by;
            if (draft.signature) {
                signPad.load(draft.signature);
            }
            setMinutes(draft.minutes);
            draftNote.textContent = "";
            append(draftNote, [
                h("p", {}, `Przywrócono niezapisaną wizytę (${formatDateTime(new Date(draft.saved_at))}).`),
                h(
                    "button",
                    {
                        type: "button",
                        class: "fa-btn is-small",
                        onclick: async () => {
                            stopDraft();
                            await store.del(draftKey);
                            route();
                        },
                    },
                    "Zacznij od nowa"
                ),
            ]);
        }
        async function cancel() {
            stopDraft();
            await store.del(draftKey).catch(() => {});
            location.hash = view.back;
        }
        form.addEventListener("input", scheduleDraft);
        form.addEventListener("change", scheduleDraft);
        store
            .get(draftKey)
            .then((draft) => {
                if (draft && !finished) {
                    applyDraft(draft);
                }
            })
            .catch(() => {});

        async function save() {
            const errors = [];
            const [y, mo, d] = dateInput.value.split("-").map(Number);
            const [hh, mm] = timeInput.value.split(":").map(Number);
            const when = new Date(y, mo - 1, d, hh, mm);
            if (!dateInput.value || !timeInput.value || isNaN(when.getTime())) {
                errors.push("Podaj datę i godzinę wizyty.");
            } else if (when.getTime() > Date.now() + 5 * 60 * 1000) {
                errors.push("Wizyta nie może być w przyszłości.");
            }
            const signature = signPad.data();
            const signedBy = signedByInput.value.trim();
            if (signature && !signedBy) {
                errors.push("Wpisz, kto podpisał (pole „Podpisał(a)”).");
            }
            if (!signature && signedBy && !signedBefore) {
                errors.push("Brakuje podpisu – poproś o podpis w ramce albo wyczyść pole „Podpisał(a)”.");
            }
            if (!signature && !signedBy && signedBefore) {
                errors.push("Wizyta jest podpisana: wpisz, kto podpisał (pole „Podpisał(a)”).");
            }
            if (!actionsInput.value.trim()) {
                errors.push("Opisz, co zostało zrobione.");
            }
            errorsEl.textContent = "";
            if (errors.length) {
                append(errorsEl, [h("ul", {}, errors.map((e) => h("li", {}, e)))]);
                errorsEl.scrollIntoView({ behavior: "smooth", block: "start" });
                return;
            }
            const record = {
                ...(item || {}),
                uuid: item ? item.uuid : newUuid(),
                assignment_id: c.id,
                user_id: item && item.user_id ? item.user_id : state.data.user ? state.data.user.id : null,
                start: toUtc(when),
                duration: minutes / 60,
                kind: kindSelect.value,
                place: placeSelect.value,
                member_ids: checked(memberChecks),
                duty_ids: checked(dutyChecks),
                actions_taken: actionsInput.value.trim(),
                next_steps: nextInput.value.trim(),
                signature: signature || null,
                signed: Boolean(signature) || signedBefore,
                signed_by: signedBy || null,
                base_write_date: item ? item.base_write_date || null : null,
                base_revision: item && item.base_revision !== undefined ? item.base_revision : null,
                status: "pending",
                message: null,
                server: null,
                saved_at: item && item.saved_at ? item.saved_at : Date.now(),
                rev: ((item && item.rev) || 0) + 1,
            };
            stopDraft();
            try {
                await store.outboxPut(record);
            } catch {
                finished = false;
                append(errorsEl, [h("p", {}, "Nie udało się zapisać wizyty w telefonie (brak miejsca?). Nie zamykaj tego ekranu i spróbuj ponownie.")]);
                return;
            }
            await store.del(draftKey).catch(() => {});
            await loadOutbox();
            location.hash = `#/rodzina/${c.id}`;
            if (online()) {
                toast("Zapisano w telefonie. Wysyłam…", "ok");
                sync().then(() => {
                    if (!state.outbox.some((i) => i.uuid === record.uuid)) {
                        toast("Wizyta wysłana na serwer.", "ok");
                    }
                });
            } else {
                toast("Zapisano w telefonie. Wyślemy, gdy będzie internet.", "ok");
            }
        }

        view.body = form;
        view.focus = () => signPad.resize();
        return view;
    }

    /** The family's signature, drawn with a finger, a pen or a mouse (pointer events). */
    function signaturePad(initial, onChange) {
        const canvas = h("canvas", { class: "fa-canvas", "aria-label": "Pole podpisu", role: "img" });
        const wrap = h("div", { class: "fa-canvas-wrap" }, canvas, h("span", { class: "fa-canvas-hint", "aria-hidden": "true" }, "Podpis"));
        let ctx = null;
        let dirty = false;
        let drawing = false;
        let last = null;
        let ratio = 1;
        let loading = null; // an image being drawn: it is the signature meanwhile

        function drawImage(base64) {
            const rect = canvas.getBoundingClientRect();
            const img = new Image();
            loading = base64;
            img.onload = () => {
                if (ctx && loading === base64) {
                    ctx.drawImage(img, 0, 0, rect.width, rect.height);
                }
                loading = null;
            };
            img.src = `data:image/png;base64,${base64}`;
            dirty = true;
            wrap.classList.add("is-signed");
        }

        function resize() {
            const rect = canvas.getBoundingClientRect();
            if (!rect.width) {
                return;
            }
            const keep = loading || (dirty ? canvas.toDataURL("image/png").split(",")[1] : null);
            ratio = Math.min(window.devicePixelRatio || 1, 2);
            canvas.width = Math.round(rect.width * ratio);
            canvas.height = Math.round(rect.height * ratio);
            ctx = canvas.getContext("2d");
            ctx.scale(ratio, ratio);
            ctx.lineWidth = 2.5;
            ctx.lineCap = "round";
            ctx.lineJoin = "round";
            ctx.strokeStyle = "#14313a";
            const image = keep || initial;
            if (image) {
                drawImage(image);
            }
        }
        function point(event) {
            const rect = canvas.getBoundingClientRect();
            return { x: event.clientX - rect.left, y: event.clientY - rect.top };
        }
        canvas.addEventListener("pointerdown", (event) => {
            if (!ctx) {
                resize();
            }
            event.preventDefault();
            canvas.setPointerCapture(event.pointerId);
            drawing = true;
            last = point(event);
            ctx.beginPath();
            ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, Math.PI * 2);
            ctx.fillStyle = ctx.strokeStyle;
            ctx.fill();
        });
        canvas.addEventListener("pointermove", (event) => {
            if (!drawing) {
                return;
            }
            event.preventDefault();
            const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
            for (const e of events.length ? events : [event]) {
                const p = point(e);
                ctx.beginPath();
                ctx.moveTo(last.x, last.y);
                ctx.lineTo(p.x, p.y);
                ctx.stroke();
                last = p;
            }
            dirty = true;
            wrap.classList.add("is-signed");
        });
        for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
            canvas.addEventListener(type, () => {
                if (drawing && onChange) {
                    onChange();
                }
                drawing = false;
            });
        }
        window.addEventListener("resize", () => {
            if (canvas.isConnected && !drawing) {
                resize();
            }
        });
        return {
            element: wrap,
            resize,
            clear() {
                if (ctx) {
                    ctx.clearRect(0, 0, canvas.width, canvas.height);
                }
                initial = null;
                loading = null;
                dirty = false;
                wrap.classList.remove("is-signed");
                if (onChange) {
                    onChange();
                }
            },
            load(base64) {
                initial = base64;
                if (ctx) {
                    ctx.clearRect(0, 0, canvas.width, canvas.height);
                    drawImage(base64);
                }
            },
            /** The PNG without the "data:" prefix, or null when nothing was drawn. */
            data() {
                if (loading) {
                    return loading;
                }
                return dirty ? canvas.toDataURL("image/png").split(",")[1] : null;
            },
        };
    }

    // ------------------------------------------------------------------ screen: outbox
    function viewOutbox() {
        const view = { title: "Do wysłania", subtitle: "Wizyty zapisane w telefonie", back: "#/", live: true };
        view.rerender = viewOutbox;
        if (!state.outbox.length) {
            view.body = h(
                "section",
                { class: "fa-empty is-done" },
                icon("check"),
                h("p", {}, "Wszystko wysłane. W telefonie nie czeka żadna wizyta.")
            );
            return view;
        }
        view.body = h(
            "section",
            { class: "fa-list" },
            state.outbox.map((item) => {
                const c = findCase(item.assignment_id);
                const [cls, text] = STATUS_TEXT[item.status] || STATUS_TEXT.pending;
                const start = parseUtc(item.start);
                return h(
                    "article",
                    { class: `fa-card fa-outbox-item is-${item.status}`, "data-uuid": item.uuid },
                    h(
                        "div",
                        { class: "fa-card-head" },
                        h("h2", {}, c ? c.family : "Rodzina"),
                        h("span", { class: `fa-tag ${cls}` }, text)
                    ),
                    h("p", { class: "fa-line" }, icon("clock"), `${start ? formatDateTime(start) : ""} · ${formatDuration(item.duration)} · ${optionLabel("kind", item.kind)}`),
                    item.actions_taken ? h("p", { class: "fa-visit-text" }, item.actions_taken) : null,
                    item.message && item.status !== "pending" ? h("p", { class: "fa-message" }, item.message) : null,
                    h(
                        "div",
                        { class: "fa-card-actions" },
                        item.status === "conflict"
                            ? h("a", { class: "fa-btn is-primary", href: `#/konflikt/${item.uuid}` }, "Porównaj wersje")
                            : h("a", { class: "fa-btn", href: `#/wizyta/${item.assignment_id}/${item.uuid}` }, "Popraw"),
                        item.status === "refused"
                            ? h("button", { type: "button", class: "fa-btn is-danger", onclick: () => discard(item) }, "Odrzuć")
                            : null
                    )
                );
            })
        );
        return view;
    }

    async function discard(item) {
        const ok = await confirmDialog(
            "Odrzucić tę wizytę?",
            item.base_write_date
                ? "Twoje zmiany zostaną usunięte z telefonu. Na serwerze zostaje poprzednia wersja wizyty."
                : "Wizyta zostanie usunięta z telefonu i nie trafi na serwer.",
            "Odrzuć",
            "Zostaw"
        );
        if (!ok) {
            return;
        }
        await store.outboxDelete(item.uuid);
        await loadOutbox();
        toast("Wizytę usunięto z telefonu.");
        refresh();
    }

    // ------------------------------------------------------------------ screen: conflict
    function viewConflict(uuid) {
        const item = state.outbox.find((i) => i.uuid === uuid);
        const view = { title: "Dwie wersje wizyty", back: "#/do-wyslania", live: true };
        view.rerender = () => viewConflict(uuid);
        if (!item || item.status !== "conflict") {
            view.body = h("section", { class: "fa-empty" }, h("p", {}, "Ta sprawa jest już rozwiązana."));
            return view;
        }
        const c = findCase(item.assignment_id);
        view.subtitle = c ? c.family : "";
        const server = item.server || {};
        const members = new Map(((c && c.members) || []).map((m) => [m.id, m.name]));
        const duties = new Map(options("duties").map(([id, label]) => [id, label]));
        const short = (text) => (text.length > 44 ? text.slice(0, 42).trimEnd() + "…" : text);
        const names = (ids, map, sep) =>
            (ids || [])
                .map((id) => short(map.get(id) || `#${id}`))
                .sort((a, b) => a.localeCompare(b, "pl", { numeric: true }))
                .join(sep) || "—";
        const rows = [
            ["Data i godzina", (v) => (v.start ? formatDateTime(parseUtc(v.start)) : "—")],
            ["Czas trwania", (v) => formatDuration(v.duration)],
            ["Rodzaj", (v) => optionLabel("kind", v.kind)],
            ["Miejsce", (v) => optionLabel("place", v.place)],
            ["Obecni", (v) => names(v.member_ids, members, ", ")],
            ["Zadania ustawowe", (v) => names(v.duty_ids, duties, "\n")],
            ["Co zostało zrobione", (v) => v.actions_taken || "—"],
            ["Dalsze kroki", (v) => v.next_steps || "—"],
            ["Podpis", (v) => (v.signature || v.signed ? `tak (${v.signed_by || "—"})` : "brak")],
        ];
        function version(title, v, cls, other) {
            return h(
                "section",
                { class: `fa-card fa-version ${cls}` },
                h("h2", {}, title),
                h(
                    "dl",
                    {},
                    rows.map(([label, show]) => {
                        const differs = show(v) !== show(other);
                        return [h("dt", { class: differs ? "is-diff" : "" }, label), h("dd", { class: differs ? "is-diff" : "" }, show(v))];
                    })
                )
            );
        }
        const changedAt = parseUtc(server.write_date);
        view.body = h(
            "div",
            { class: "fa-conflict" },
            h(
                "div",
                { class: "fa-banner is-warn" },
                icon("alert"),
                h(
                    "p",
                    {},
                    item.message || "Wizytę zmieniono w innym miejscu po rozpoczęciu Twojej edycji: wybierz, którą wersję zachować.",
                    " Różnice są zaznaczone."
                )
            ),
            version("Moja wersja (ten telefon)", item, "is-mine", server),
            version(changedAt ? `Wersja na serwerze (zmieniona ${formatDateTime(changedAt)})` : "Wersja na serwerze", server, "is-server", item),
            h(
                "div",
                { class: "fa-form-actions is-stacked" },
                h("button", { type: "button", class: "fa-btn is-primary fa-keep-mine", onclick: () => keepMine(item) }, "Zachowaj moją wersję"),
                h("button", { type: "button", class: "fa-btn fa-take-server", onclick: () => takeServer(item) }, "Przyjmij wersję z serwera")
            )
        );
        return view;
    }

    async function keepMine(item) {
        const server = item.server || {};
        const updated = {
            ...item,
            base_write_date: server.write_date || item.base_write_date,
            base_revision: server.revision !== undefined ? server.revision : item.base_revision,
            status: "pending",
            message: null,
            server: null,
            rev: (item.rev || 0) + 1,
        };
        await store.outboxPut(updated);
        await loadOutbox();
        location.hash = `#/rodzina/${item.assignment_id}`;
        if (online()) {
            toast("Wysyłam Twoją wersję…", "ok");
            await sync();
            if (!state.outbox.some((i) => i.uuid === item.uuid)) {
                toast("Zapisano Twoją wersję na serwerze.", "ok");
            }
        } else {
            toast("Twoja wersja zostanie wysłana, gdy będzie internet.", "ok");
        }
    }

    async function takeServer(item) {
        if (item.server) {
            applyServerVisit(item.assignment_id, item.server);
            await store.set("cases", state.data);
        }
        await store.outboxDelete(item.uuid);
        await loadOutbox();
        toast("Przyjęto wersję z serwera.", "ok");
        location.hash = `#/rodzina/${item.assignment_id}`;
    }

    // ------------------------------------------------------------------ dialogs, logout
    function confirmDialog(title, text, okLabel, cancelLabel) {
        return new Promise((resolve) => {
            const close = (answer) => {
                overlay.remove();
                resolve(answer);
            };
            const overlay = h(
                "div",
                { class: "fa-overlay", role: "dialog", "aria-modal": "true", "aria-label": title },
                h(
                    "div",
                    { class: "fa-dialog" },
                    h("h2", {}, title),
                    h("p", {}, text),
                    h(
                        "div",
                        { class: "fa-form-actions" },
                        h("button", { type: "button", class: "fa-btn", onclick: () => close(false) }, cancelLabel),
                        h("button", { type: "button", class: "fa-btn is-danger fa-confirm", onclick: () => close(true) }, okLabel)
                    )
                )
            );
            document.body.append(overlay);
            overlay.querySelector(".fa-confirm").focus();
        });
    }

    async function logout() {
        if (state.outbox.length && online() && !state.authNeeded) {
            await sync();
        }
        if (state.outbox.length) {
            const n = state.outbox.length;
            const ok = await confirmDialog(
                "Niewysłane wizyty",
                "W telefonie " +
                    plural(n, "czeka 1 wizyta", "czekają " + n + " wizyty", "czeka " + n + " wizyt") +
                    ". Po wylogowaniu " +
                    (n === 1 ? "zostanie usunięta" : "zostaną usunięte") +
                    " z telefonu. Najpierw połącz się z internetem i naciśnij „Synchronizuj”.",
                "Wyloguj mimo to",
                "Nie wylogowuj"
            );
            if (!ok) {
                return;
            }
        }
        await forgetEverything();
        location.assign(LOGOUT_URL);
    }

    /** Logout: the data of the families and the stored pages leave the phone. */
    async function forgetEverything() {
        try {
            await store.clear();
        } catch {
            // nothing stored
        }
        if (self.caches) {
            for (const name of await caches.keys()) {
                if (name.startsWith(CACHE_PREFIX)) {
                    await caches.delete(name);
                }
            }
        }
    }

    // ------------------------------------------------------------------ start
    async function start() {
        buildShell();
        try {
            await loadLocal();
        } catch {
            state.notice = "Ta przeglądarka nie pozwala zapisywać danych w telefonie (tryb prywatny?). Aplikacja działa tylko z internetem.";
        }
        if (isStale() && online()) {
            await sync(); // sends what waits before anything is cleared
        }
        await forgetIfStale();
        window.addEventListener("hashchange", route);
        route();
        window.addEventListener("online", () => sync());
        window.addEventListener("offline", () => {
            state.reachable = false;
            refresh();
        });
        document.addEventListener("visibilitychange", () => {
            if (document.visibilityState === "visible") {
                forgetIfStale().then((forgot) => (forgot ? route() : state.outbox.length ? syncIfOnline() : refresh()));
            }
        });
        setInterval(() => {
            if (state.outbox.some((item) => item.status === "pending") && !state.authNeeded) {
                syncIfOnline();
            } else {
                refresh(); // "5 minutes ago" stays true
            }
        }, RETRY_MS);
        if ("serviceWorker" in navigator) {
            navigator.serviceWorker
                .register("/asystent/sw.js", { scope: "/asystent" })
                .then(() => navigator.serviceWorker.ready)
                .then(() => {
                    document.documentElement.dataset.offlineReady = "1";
                })
                .catch(() => {
                    // no service worker (not https?): works online only
                });
        }
        syncIfOnline();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
