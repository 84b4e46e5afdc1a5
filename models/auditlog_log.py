import ast
import re

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_date, format_datetime


class AssistImmutableLog(models.AbstractModel):
    """The audit log (OCA auditlog) is evidence: nobody changes or deletes it
    through the application; only the system itself (superuser: the log's own
    autovacuum, the anonymisation of a case) does."""

    _name = "assist.immutable.log"
    _description = "Audit log that nobody changes"

    def write(self, vals):
        if not self.env.su:
            raise AccessError(_("The audit log cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise AccessError(_("The audit log cannot be deleted."))
        return super().unlink()


class AuditlogLog(models.Model):
    """An entry about a record of the procedure carries the OPS of that record (not
    of the user: OdooBot and administrators belong to every OPS), and the head reads
    the entries of their own OPS only (security/family_assistant_rules.xml). It
    carries the family and the case too, so that the head filters the log by them,
    and shows its operation and kind of record in the reader's language."""

    _name = "auditlog.log"
    _inherit = ["auditlog.log", "assist.immutable.log"]

    assist_company_id = fields.Many2one(
        "res.company", string="OPS", index="btree_not_null", readonly=True
    )
    assist_family_id = fields.Many2one(
        "assist.family",
        string="Family",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    assist_assignment_id = fields.Many2one(
        "assist.assignment",
        string="Case",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    assist_operation = fields.Selection(
        [
            ("read", "Opened"),
            ("create", "Created"),
            ("write", "Changed"),
            ("unlink", "Deleted"),
            ("export_data", "Exported"),
            ("export_personal_data", "Personal data downloaded"),
            ("other", "Other"),
        ],
        string="Operation",
        compute="_compute_assist_operation",
    )
    assist_model_label = fields.Char(string="Kind of record", compute="_compute_assist_model_label")

    @api.depends("method")
    def _compute_assist_operation(self):
        known = dict(self._fields["assist_operation"].selection)
        for log in self:
            log.assist_operation = log.method if log.method in known else "other"

    @api.depends("model_model")
    @api.depends_context("lang")
    def _compute_assist_model_label(self):
        for log in self:
            model = log.model_model
            log.assist_model_label = (
                self.env["ir.model"]._get(model).name if model in self.env else log.model_name
            )

    @api.model_create_multi
    def create(self, vals_list):
        # sudo: the OPS, family and case of the logged record, whoever's action is logged
        models_by_id = {
            model.id: model.model
            for model in self.env["ir.model"]
            .sudo()
            .browse({vals.get("model_id") for vals in vals_list if vals.get("model_id")})
        }
        wanted = {}
        for vals in vals_list:
            model = models_by_id.get(vals.get("model_id"))
            if model and model.startswith("assist.") and vals.get("res_id"):
                wanted.setdefault(model, set()).add(vals["res_id"])
        found = {}
        for model, ids in wanted.items():
            records = self.env[model].sudo().with_context(active_test=False).browse(ids).exists()
            for record in records:
                found[model, record.id] = self._assist_record_links(record)
        for vals in vals_list:
            key = (models_by_id.get(vals.get("model_id")), vals.get("res_id"))
            for field, value in found.get(key, {}).items():
                vals.setdefault(field, value)
        return super().create(vals_list)

    @api.model
    def _assist_record_links(self, record):
        """The OPS, family and case a logged record belongs to (a line of a plan:
        those of its plan)."""
        company = record.company_id if "company_id" in record._fields else False
        while "family_id" not in record._fields and getattr(record, "_lock_parent", None):
            record = record[record._lock_parent]
        if record._name == "assist.family":
            family, case = record, False
        elif record._name == "assist.assignment":
            family, case = record.family_id, record
        else:
            family = record.family_id if "family_id" in record._fields else False
            case = record.assignment_id if "assignment_id" in record._fields else False
        return {
            "assist_company_id": company and company.id,
            "assist_family_id": family and family.id,
            "assist_assignment_id": case and case.id,
        }


class AuditlogLogLine(models.Model):
    _name = "auditlog.log.line"
    _inherit = ["auditlog.log.line", "assist.immutable.log"]

    assist_field_label = fields.Char(string="Changed field", compute="_compute_assist_display")
    assist_old_display = fields.Char(string="Before", compute="_compute_assist_display")
    assist_new_display = fields.Char(string="After", compute="_compute_assist_display")

    @api.depends("field_id", "old_value", "new_value")
    @api.depends_context("lang")
    def _compute_assist_display(self):
        """The field's label and the values as the form shows them: the name of a
        chosen record (one query per kind of record for the whole page), the label
        of a choice, a date as a date, "Yes"/"No"."""
        parsed = {}
        wanted = {}  # comodel: ids whose names are shown
        # sudo: a field's label, type and target are the schema, not data of a family
        for line in self:
            field = line.field_id.sudo()
            for side in ("old", "new"):
                value = _parse_logged(line[f"{side}_value"])
                parsed[line.id, side] = value
                if field.ttype in ("many2one", "many2many", "one2many") and field.relation:
                    ids = value if isinstance(value, list | tuple) else [value]
                    wanted.setdefault(field.relation, set()).update(
                        i for i in ids if isinstance(i, int) and i
                    )
        names = {}
        for comodel, ids in wanted.items():
            if comodel not in self.env:
                continue
            records = self.env[comodel].with_context(active_test=False).browse(ids).exists()
            # only the names the reader may read; the others by their number
            readable = records._filtered_access("read")
            names.update({(comodel, r.id): r.display_name for r in readable})
        for line in self:
            field = line.field_id.sudo()
            line.assist_field_label = field.field_description or line.field_description
            for side in ("old", "new"):
                line[f"assist_{side}_display"] = line._assist_format(
                    field, parsed[line.id, side], names
                )

    def _assist_format(self, field, value, names):
        if value in (None, False, "", []) and field.ttype != "boolean":
            return ""
        if field.ttype == "boolean":
            return _("Yes") if value else _("No")
        if field.ttype in ("many2one", "many2many", "one2many"):
            ids = value if isinstance(value, list | tuple) else [value]
            return ", ".join(
                names.get((field.relation, i), f"#{i}") if isinstance(i, int) else str(i)
                for i in ids
            )
        if field.ttype == "selection" and field.model in self.env:
            model_field = self.env[field.model]._fields.get(field.name)
            if model_field:
                labels = dict(model_field._description_selection(self.env))
                return labels.get(value, str(value))
        if field.ttype == "date" and isinstance(value, str):
            return format_date(self.env, value)
        if field.ttype == "datetime" and isinstance(value, str):
            return format_datetime(self.env, value, dt_format="short")
        return str(value)


COMMAND_REPR = re.compile(r"<Command\.\w+: (\d)>")


def _parse_logged(text):
    """auditlog keeps a value as Python's text of it ("8", "'normal'", "[3, 4]",
    "[(3, 'Anna')]", or the commands written: "[(<Command.SET: 6>, 0, [3])]"): the
    value back (the ids of the records chosen, the names of those created), or the
    text itself."""
    if not text:
        return text
    try:
        value = ast.literal_eval(COMMAND_REPR.sub(r"\1", text))
    except (ValueError, SyntaxError):
        return text
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        if all(len(v) == 2 for v in value):
            return [v[0] for v in value]  # [(id, name), ...]: the ids
        chosen = []
        for command in value:
            code, record_id, data = (*command, None, None)[:3]
            if code == Command.SET:
                chosen.extend(data or [])
            elif code == Command.LINK:
                chosen.append(record_id)
            elif code == Command.CREATE and isinstance(data, dict) and data.get("name"):
                chosen.append(str(data["name"]))
        return chosen
    return value
