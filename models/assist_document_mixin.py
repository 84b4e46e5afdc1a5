import hashlib
from ast import literal_eval

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError


class AssistDocumentMixin(models.AbstractModel):
    """A record that prints as an annex of the procedure (QWeb PDF reports whose
    `assist_annex` is set, in `report/`).

    Printing from the Print menu gives the document as the record is now.
    Issuing it (`action_open_issue_wizard`, then `_issue_document`) freezes it:
    the rendered PDF is stored as an attachment of the record, registered in
    `assist.issued.document` with its SHA-256 and announced in the chatter.
    Whoever takes part in the case (its assistant, worker or monitor, the head)
    may issue its documents; nobody changes or deletes an issued one.
    """

    _name = "assist.document.mixin"
    _description = "Record printed as an annex of the procedure"

    issued_document_count = fields.Integer(
        string="Issued documents", compute="_compute_issued_document_count"
    )

    def _compute_issued_document_count(self):
        counts = dict(
            self.env["assist.issued.document"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for record in self:
            record.issued_document_count = counts.get(record.id, 0)

    def _document_assignment(self):
        """The assignment (case) the document belongs to."""
        return self.assignment_id

    def _document_lang(self):
        """Documents are the Polish forms of the procedure: printed in Polish when
        the language is installed, else in the language of the user."""
        if self.env["res.lang"]._lang_get("pl_PL"):
            return "pl_PL"
        return self.env.lang

    def _document_reports(self):
        """The annex reports that print this record (the report domains say which)."""
        self.ensure_one()
        reports = self.env["ir.actions.report"].search(
            [("model", "=", self._name), ("assist_annex", ">", 0)], order="assist_annex"
        )
        return reports.filtered(
            lambda report: not report.domain or self.filtered_domain(literal_eval(report.domain))
        )

    def _check_document_role(self):
        assignment = self._document_assignment()
        if not assignment._user_has_case_role(("assistant", "monitor", "worker", "head")):
            raise AccessError(
                _(
                    "The documents of the case %(name)s are issued by its family assistant, "
                    "social worker or the head of the OPS.",
                    name=assignment.name,
                )
            )

    def action_open_issue_wizard(self):
        self.ensure_one()
        self.check_access("read")
        self._check_document_role()
        reports = self._document_reports()
        if not reports:
            raise UserError(_("This record prints no document of the procedure."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Issue a document"),
            "res_model": "assist.document.issue",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_report_id": reports[0].id,
            },
        }

    def action_view_issued_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "family_assistant.assist_issued_document_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action

    def _issue_document(self, report, date_from=False, date_to=False):
        """Render `report` for this record, store the PDF, register and announce it.
        Returns the `assist.issued.document`."""
        self.ensure_one()
        self.check_access("read")
        self._check_document_role()
        if report not in self._document_reports():
            raise UserError(_("%(report)s is not printed from this record.", report=report.name))
        if date_from and date_to and date_from > date_to:
            raise UserError(_("The period of the document ends before it starts."))
        data = {"date_from": date_from, "date_to": date_to} if report.assist_period else None
        # rendered with the rights of the person issuing it; the PDF even in tests
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, self.ids, data=data)
        )
        # sudo: the register and the stored file are written only here, after the
        # checks above; nobody creates, changes or deletes them directly
        issued_sudo = self.env["assist.issued.document"].sudo()
        last = issued_sudo.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("report_id", "=", report.id),
            ],
            order="version desc",
            limit=1,
        )
        version = last.version + 1
        assignment = self._document_assignment()
        filename = _(
            "Annex %(annex)s - %(case)s - version %(version)s.pdf",
            annex=report.assist_annex,
            case=assignment.name,
            version=version,
        )
        attachment_sudo = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename.replace("/", "-"),
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        issued = issued_sudo.create(
            {
                "report_id": report.id,
                "res_model": self._name,
                "res_id": self.id,
                "assignment_id": assignment.id,
                "version": version,
                "date_from": date_from,
                "date_to": date_to,
                "attachment_id": attachment_sudo.id,
                "checksum": hashlib.sha256(pdf).hexdigest(),
                "issued_by_id": self.env.uid,
            }
        )
        thread_sudo = (self if "message_post" in self else assignment).sudo()
        thread_sudo.message_post(
            body=_(
                "Document issued: %(document)s, version %(version)s. SHA-256: %(checksum)s",
                document=report.name,
                version=version,
                checksum=issued.checksum,
            ),
            attachment_ids=attachment_sudo.ids,
            author_id=self.env.user.partner_id.id,
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return issued.with_env(self.env)
