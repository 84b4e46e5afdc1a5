import json

from odoo import http
from odoo.http import content_disposition, request


class PersonalDataExport(http.Controller):
    """The head downloads the personal data of one person (a data subject's access
    request): made for the download, never stored, registered in the audit log."""

    @http.route(
        "/family_assistant/personal_data/<int:member_id>", type="http", auth="user", methods=["GET"]
    )
    def personal_data(self, member_id):
        member = request.env["assist.family.member"].browse(member_id)
        data = member._export_personal_data()
        content = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", content_disposition(f"dane-osobowe-{member_id}.json")),
                ("Cache-Control", "no-store"),
            ],
        )
