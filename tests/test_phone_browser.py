"""The assistant's phone app (/asystent) in a real browser: a phone-sized Chromium
driven by Playwright, offline and online, on one device and on two."""

import logging
import os
import re
import resource
import time
from datetime import timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME

from .test_ui import read_manifests

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the dev requirements install it
    sync_playwright = None

_logger = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
TIMEZONE = "Europe/Warsaw"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "pl-PL",
    "timezone_id": TIMEZONE,
}
# the shell (HTML + JS + CSS) a phone downloads at its first visit
SHELL_BUDGET = 300 * 1024
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1024 / 8,
    "uploadThroughput": 400 * 1024 / 8,
}
# the visits on the phone, read from its IndexedDB
OUTBOX_JS = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open("asystent-rodziny");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
        const all = open.result.transaction("outbox").objectStore("outbox").getAll();
        all.onsuccess = () => { resolve(all.result); open.result.close(); };
    };
})"""
# a request the service worker makes itself (a static file it has not stored yet)
SW_PROBE_JS = """n => fetch("/family_assistant/static/src/phone/icon-512.png?probe=" + n)
    .then(response => response.status, () => "failed")"""


@tagged("post_install", "-at_install")
class TestPhoneBrowser(HttpCase):
    """On a phone: visits logged without a signal wait in the phone and reach the
    server once, with their signature; an edit made on two phones is a conflict the
    assistant settles; the shell stays light on a slow network."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls.env.ref("family_assistant.assignment_kowalscy")
        cls.assistant = cls.env.ref("family_assistant.user_asystent")

    def setUp(self):
        super().setUp()
        if sync_playwright is None or not os.path.exists(CHROMIUM):
            self.skipTest("Playwright and Chromium are needed for the phone app's browser test")
        read_manifests()
        # Playwright's offline mode leaves a service worker's own requests online
        # unless this is set for its driver (checked below with SW_PROBE_JS).
        # Chromium reserves more virtual memory than Odoo's soft limit allows (see
        # ChromeBrowser._chrome_without_limit): the driver and the browser it starts
        # run without it.
        limit = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit[1], limit[1]))
        try:
            with patch.dict(os.environ, {"PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS": "1"}):
                playwright = sync_playwright().start()
        finally:
            resource.setrlimit(resource.RLIMIT_AS, limit)
        self.addCleanup(playwright.stop)
        self.browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--lang=pl-PL"],
            env={**os.environ, "LANG": "pl_PL.UTF-8", "LANGUAGE": "pl"},
        )
        self.addCleanup(self.browser.close)
        self.js_errors = []

    # ------------------------------------------------------------------ helpers
    def _phone(self, **options):
        context = self.browser.new_context(base_url=self.base_url(), **PHONE, **options)
        context.set_default_timeout(15000)
        context.on(
            "page", lambda page: page.on("pageerror", lambda error: self.js_errors.append(error))
        )
        context.add_cookies(
            [
                {
                    "name": TEST_CURSOR_COOKIE_NAME,
                    "value": self.http_request_key,
                    "url": self.base_url(),
                }
            ]
        )
        self.addCleanup(context.close)
        return context

    def _log_in(self, context):
        page = context.new_page()
        page.goto("/web/login?redirect=/asystent")
        page.fill("input[name=login]", "asystent")
        page.fill("input[name=password]", "asystent")
        page.click("button[type=submit]")
        page.wait_for_selector(".fa-family-card")
        return page

    def _syncs(self, page):
        return int(page.evaluate("document.documentElement.dataset.syncCount || 0"))

    def _wait_synced(self, page, syncs):
        """Until a sync started after `syncs` ended and the phone holds nothing to send."""
        page.wait_for_function("n => +document.documentElement.dataset.syncCount > n", arg=syncs)
        expect(page.locator(".fa-sync")).not_to_have_class(re.compile("is-busy"))
        waiting = [(item["status"], item.get("message")) for item in page.evaluate(OUTBOX_JS)]
        self.assertEqual(waiting, [], "the server took every visit the phone sent")
        expect(page.locator(".fa-outbox-count")).to_have_text("Wszystko wysłane")

    def _sign(self, page):
        canvas = page.locator("canvas.fa-canvas")
        # in the middle of the screen, clear of the sticky Save bar
        canvas.evaluate("canvas => canvas.scrollIntoView({block: 'center'})")
        box = canvas.bounding_box()
        x, y = box["x"] + 30, box["y"] + box["height"] * 0.6
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 13):
            page.mouse.move(x + step * 20, y + (12 if step % 2 else -18), steps=2)
        page.mouse.up()

    def _log_visit(self, page, when, text, signer):
        """A visit to the Kowalscy typed on the phone at `when` (UTC), signed."""
        page.click(f".fa-family-card[data-case-id='{self.case.id}'] .fa-new-visit")
        page.wait_for_selector(".fa-form")
        local = when.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(TIMEZONE))
        page.fill("input[name=date]", local.strftime("%Y-%m-%d"))
        page.fill("input[name=time]", local.strftime("%H:%M"))
        page.get_by_role("button", name="Dłużej o 15 minut").click()
        page.locator("input[name=member_ids]").first.check()
        page.locator(".fa-duties summary").click()
        page.locator("input[name=duty_ids]").first.check()
        page.fill("textarea[name=actions_taken]", text)
        page.fill("textarea[name=next_steps]", "Kolejna wizyta za tydzień.")
        self._sign(page)
        page.locator(".fa-chip", has_text=signer).click()
        page.click("button.fa-save")
        page.wait_for_selector(".fa-family")

    def _visits(self, uuids):
        self.env.invalidate_all()
        return self.env["assist.visit"].search([("uuid", "in", uuids)])

    # ------------------------------------------------------------------ tests
    def test_visits_logged_offline_reach_the_server_once(self):
        context = self._phone()
        page = self._log_in(context)
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        visits_before = len(self.case.visit_ids)

        context.set_offline(True)
        self.assertEqual(
            page.evaluate(SW_PROBE_JS, 1),
            "failed",
            "offline, the service worker's own requests fail too",
        )
        now = fields.Datetime.now().replace(second=0, microsecond=0)
        first, second = now - timedelta(hours=3), now - timedelta(hours=1)
        self._log_visit(page, first, "Rozmowa o budżecie domowym (telefon, bez zasięgu).", "Joanna")
        expect(page.locator(".fa-outbox-count")).to_have_text("Do wysłania: 1")
        page.click(".fa-back")
        self._log_visit(page, second, "Pomoc w odrabianiu lekcji z Zuzanną.", "Tomasz")
        page.click(".fa-back")
        expect(page.locator(".fa-outbox-count")).to_have_text("Do wysłania: 2")
        expect(page.locator(".fa-conn")).to_have_text("Brak internetu")

        # the shell comes from the service worker, the outbox from IndexedDB
        page.reload()
        page.wait_for_selector(".fa-family-card")
        expect(page.locator(".fa-outbox-count")).to_have_text("Do wysłania: 2")
        outbox = page.evaluate(OUTBOX_JS)
        uuids = [item["uuid"] for item in outbox]
        self.assertEqual(len(set(uuids)), 2)
        self.assertFalse(self._visits(uuids), "nothing reached the server while offline")
        self.assertEqual(len(self.case.visit_ids), visits_before)

        syncs = self._syncs(page)
        context.set_offline(False)
        page.get_by_role("button", name="Synchronizuj").click()
        self._wait_synced(page, syncs)
        self.assertEqual(page.evaluate(OUTBOX_JS), [])

        visits = self._visits(uuids)
        self.assertEqual(sorted(visits.mapped("uuid")), sorted(uuids), "each visit exactly once")
        self.assertEqual(len(self.case.visit_ids), visits_before + 2)
        by_start = {visit.start: visit for visit in visits}
        self.assertEqual(set(by_start), {first, second}, "the phone's local time sent as UTC")
        self.assertIn("bez zasięgu", by_start[first].actions_taken)
        self.assertEqual(by_start[first].signed_by, "Joanna Kowalska")
        self.assertEqual(by_start[second].signed_by, "Tomasz Kowalski")
        for visit in visits:
            self.assertEqual(visit.assignment_id, self.case)
            self.assertEqual(visit.user_id, self.assistant)
            self.assertEqual(visit.duration, 1.25)
            self.assertTrue(visit.signature, "the drawn signature is stored")
            self.assertTrue(visit.member_ids)
            self.assertTrue(visit.duty_ids)
        self.assertEqual(self.js_errors, [])

    def test_an_edit_made_on_two_phones_is_settled_by_the_assistant(self):
        visit = (
            self.env["assist.visit"]
            .with_user(self.assistant)
            .create(
                {
                    "assignment_id": self.case.id,
                    "start": fields.Datetime.now().replace(microsecond=0) - timedelta(hours=2),
                    "duration": 1.0,
                    "kind": "home_visit",
                    "place": "home",
                    "actions_taken": "Rozmowa z rodziną.",
                }
            )
        )
        self.env.flush_all()
        phone_a = self._log_in(self._phone())
        phone_b = self._log_in(self._phone())

        def edit(page, text):
            page.click(f".fa-family-card[data-case-id='{self.case.id}'] .fa-card-head")
            page.click(f"a.fa-visit-link[data-uuid='{visit.uuid}']")
            page.wait_for_selector(".fa-form")
            page.fill("textarea[name=actions_taken]", text)
            page.click("button.fa-save")

        syncs = self._syncs(phone_a)
        edit(phone_a, "Wersja A: rozmowa o szkole.")
        self._wait_synced(phone_a, syncs)
        self.env.invalidate_all()
        self.assertEqual(visit.actions_taken, "Wersja A: rozmowa o szkole.")

        edit(phone_b, "Wersja B: rozmowa o pracy ojca.")
        conflict = phone_b.locator(".fa-conflict")
        expect(conflict.locator(".fa-version.is-mine")).to_contain_text("Wersja B")
        expect(conflict.locator(".fa-version.is-server")).to_contain_text("Wersja A")
        expect(phone_b.locator(".fa-attention")).to_have_text("Wymaga uwagi: 1")
        self.env.invalidate_all()
        self.assertEqual(visit.actions_taken, "Wersja A: rozmowa o szkole.", "nothing overwritten")

        syncs = self._syncs(phone_b)
        phone_b.get_by_role("button", name="Zachowaj moją wersję").click()
        self._wait_synced(phone_b, syncs)
        self.env.invalidate_all()
        self.assertEqual(visit.actions_taken, "Wersja B: rozmowa o pracy ojca.")
        self.assertEqual(len(self._visits([visit.uuid])), 1)
        self.assertEqual(self.js_errors, [])

    def test_shell_is_light_on_a_slow_network(self):
        """The first visit of a phone on a slow 3G network: what it downloads and
        how long until the families are on the screen (logged)."""
        self.authenticate("asystent", "asystent")
        # the service worker's own downloads would not be throttled: none here
        context = self._phone(service_workers="block")
        context.add_cookies(
            [{"name": "session_id", "value": self.session.sid, "url": self.base_url()}]
        )
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)

        started = time.perf_counter()
        page.goto("/asystent")
        page.wait_for_selector(".fa-family-card")
        usable = time.perf_counter() - started

        shell = body = total = 0
        for response in responses:
            sizes = response.request.sizes()
            transferred = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            total += transferred
            if response.request.resource_type in ("document", "script", "stylesheet"):
                shell += transferred
                body += len(response.body())
        _logger.info(
            "Phone shell (HTML+JS+CSS): %.1f KB transferred (%.1f KB of content); with the "
            "API and icons %.1f KB; families on screen after %.2f s on slow 3G "
            "(400 ms, 400 kbit/s)",
            shell / 1024,
            body / 1024,
            total / 1024,
            usable,
        )
        bundles = [r.url for r in responses if "/web/assets/" in r.url]
        self.assertTrue(bundles)
        self.assertTrue(
            all("family_assistant.assets_phone" in url for url in bundles),
            f"only the phone app's bundle, not the web client: {bundles}",
        )
        self.assertEqual(page.evaluate("typeof odoo"), "undefined", "no Odoo loader")
        self.assertTrue(shell, "the shell was measured")
        self.assertLessEqual(shell, SHELL_BUDGET)
        self.assertLess(usable, 30, "usable on a slow network")
        self.assertEqual(self.js_errors, [])
