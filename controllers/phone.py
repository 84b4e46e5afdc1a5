import json

from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools.misc import file_open

SCOPE = "/asystent"
LOGIN = "/web/login?redirect=/asystent"


class AssistantPhone(http.Controller):
    """The family assistant's phone app (static/src/phone, views/assist_phone_templates.xml):
    its shell, manifest and service worker, and the JSON API it syncs with. The
    server side of the API is the model `assist.phone`, which runs as the caller."""

    # ------------------------------------------------------------ the app
    @http.route(SCOPE, type="http", auth="public", methods=["GET"], sitemap=False)
    def shell(self):
        if request.env.user._is_public():
            return request.redirect(LOGIN)
        try:
            request.env["assist.phone"]._check_phone_user()
        except AccessError as error:
            return request.make_response(error.args[0], status=403)
        response = request.render(
            "family_assistant.phone_shell",
            {"user_name": request.env.user.name, "csrf_token": request.csrf_token()},
        )
        response.headers["Cache-Control"] = "no-cache"
        return response

    @http.route(f"{SCOPE}/manifest.webmanifest", type="http", auth="public", methods=["GET"])
    def manifest(self):
        manifest = {
            "name": "Asystent rodziny",
            "short_name": "Asystent",
            "lang": "pl",
            "start_url": SCOPE,
            "scope": SCOPE,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#2a7a8a",
            "icons": [
                {
                    "src": f"/family_assistant/static/src/phone/icon-{size}.png",
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                }
                for size in (192, 512)
            ],
        }
        return request.make_response(
            json.dumps(manifest, ensure_ascii=False),
            headers=[("Content-Type", "application/manifest+json; charset=utf-8")],
        )

    @http.route(f"{SCOPE}/sw.js", type="http", auth="public", methods=["GET"])
    def service_worker(self):
        with file_open("family_assistant/static/src/phone/sw.js", "rb") as script:
            content = script.read()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "text/javascript; charset=utf-8"),
                ("Service-Worker-Allowed", SCOPE),
                ("Cache-Control", "no-cache"),
            ],
        )

    # ------------------------------------------------------------ the API
    def _api(self, method, *args):
        """Runs `assist.phone.<method>` as the caller: JSON, never cached; 401 with
        the login page when there is no session (the phone keeps its outbox)."""
        if request.env.user._is_public():
            return self._json(
                {"error": _("Log in again to send your visits."), "login": LOGIN}, 401
            )
        try:
            data = getattr(request.env["assist.phone"], method)(*args)
        except AccessError as error:
            return self._json({"error": error.args[0]}, 403)
        except UserError as error:
            return self._json({"error": error.args[0]}, 400)
        return self._json(data)

    def _json(self, data, status=200):
        response = request.make_json_response(data, status=status)
        response.headers["Cache-Control"] = "no-store"
        return response

    @http.route(f"{SCOPE}/api/cases", type="http", auth="public", methods=["GET"])
    def cases(self):
        return self._api("get_cases")

    @http.route(f"{SCOPE}/api/sync", type="http", auth="public", methods=["POST"], csrf=False)
    def sync(self):
        # No CSRF token (a phone may send a day-old page's outbox): a JSON body is
        # required instead, which no other site can send without this server's
        # consent (CORS preflight).
        if request.httprequest.mimetype != "application/json":
            return self._json({"error": _("The visits are sent as JSON.")}, 415)
        try:
            body = json.loads(request.httprequest.get_data() or b"{}")
        except ValueError:
            return self._json({"error": _("The phone sent no valid JSON.")}, 400)
        visits = body.get("visits") if isinstance(body, dict) else None
        return self._api("sync", visits)
