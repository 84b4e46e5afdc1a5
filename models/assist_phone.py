import base64
import binascii
import logging
from datetime import datetime

import psycopg2

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from .assist_visit import UUID_PATTERN

_logger = logging.getLogger(__name__)

# The stages in which the assistant (or the monitoring worker) visits the family.
PHONE_STATES = ("handover", "diagnosis", "cooperation", "monitoring")
# What the phone shows of a case: the last visits, the next deadlines.
PHONE_VISITS = 10
PHONE_DEADLINES = 3
# A phone that has not synced for this many days clears what it holds
# (ir.config_parameter family_assistant.phone_max_offline_days).
PHONE_MAX_OFFLINE_DAYS = 7
# The fields of a visit the phone sends and gets back.
PHONE_VISIT_FIELDS = (
    "start",
    "duration",
    "kind",
    "place",
    "member_ids",
    "duty_ids",
    "actions_taken",
    "next_steps",
    "signed_by",
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class AssistPhone(models.AbstractModel):
    """The server side of the assistant's phone app (/asystent, controllers/phone.py):
    what the phone holds of the caller's cases (the minimum: no PESEL, no other
    records' free text) and the sync of the visits it logged, offline or not.

    Everything runs as the caller, through the same model methods as the backend
    (`assist.visit.create`/`write`): every rule of the procedure holds. A visit is
    known by the `uuid` the phone gave it: the same batch sent twice creates
    nothing twice, and an edit made on an older version is a conflict."""

    _name = "assist.phone"
    _description = "Phone app of the family assistant"

    # ------------------------------------------------------------ what the phone holds
    @api.model
    def _check_phone_user(self):
        user = self.env.user
        if not (
            user.has_group("family_assistant.group_assistant")
            or user.has_group("family_assistant.group_worker")
        ):
            raise AccessError(_("The phone app is for family assistants and social workers."))

    @api.model
    def _phone_cases(self):
        """The caller's cases in work: those where the caller records the visits."""
        uid = self.env.uid
        cases = self.env["assist.assignment"].search(
            [
                ("state", "in", PHONE_STATES),
                "|",
                ("assistant_id", "=", uid),
                ("family_id.worker_id", "=", uid),
            ],
            order="id",
        )
        return cases.filtered(lambda case: case._user_has_case_role(("assistant", "monitor")))

    @api.model
    def get_cases(self):
        """What the phone holds: the caller's cases with their families' contact
        data, next deadlines, recent visits, open tasks and the plan's goals."""
        self._check_phone_user()
        cases = self._phone_cases()
        Visit = self.env["assist.visit"]
        visits_by_case = {}
        for visit in Visit.search([("assignment_id", "in", cases.ids)]):
            recent = visits_by_case.setdefault(visit.assignment_id.id, [])
            if len(recent) < PHONE_VISITS:
                recent.append(visit)
        tasks = self.env["assist.family.task"].search(
            [("assignment_id", "in", cases.ids), ("state", "=", "open")],
            order="deadline, id",
        )
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "assist.assignment"),
                ("res_id", "in", cases.ids),
                ("user_id", "=", self.env.uid),
            ],
            order="date_deadline, id",
        )
        roles = dict(
            self.env["assist.family.member"]._fields["role"]._description_selection(self.env)
        )
        return {
            "user": {"id": self.env.uid, "name": self.env.user.name},
            "server_time": fields.Datetime.to_string(fields.Datetime.now()),
            "max_offline_days": self._max_offline_days(),
            "options": self._options(),
            "cases": [
                {
                    "id": case.id,
                    "name": case.name,
                    "family": case.family_id.name,
                    "address": ", ".join(
                        part
                        for part in (
                            case.family_id.street,
                            case.family_id.street2,
                            " ".join(filter(None, (case.family_id.zip, case.family_id.city))),
                        )
                        if part
                    ),
                    "phone": case.family_id.phone or "",
                    "monitoring": case.state == "monitoring",
                    "deadlines": [
                        {
                            "name": activity.summary or activity.activity_type_id.name,
                            "date": fields.Date.to_string(activity.date_deadline),
                        }
                        for activity in activities.filtered(
                            lambda a, case=case: a.res_id == case.id
                        )[:PHONE_DEADLINES]
                    ],
                    "last_visit": fields.Date.to_string(
                        visits_by_case[case.id][0].date if visits_by_case.get(case.id) else None
                    )
                    or None,
                    "members": [
                        {"id": member.id, "name": member.name, "role": roles.get(member.role, "")}
                        for member in case.family_id.member_ids
                    ],
                    "visits": [
                        self._visit_data(visit) for visit in visits_by_case.get(case.id, [])
                    ],
                    "tasks": [
                        {
                            "name": task.name,
                            "deadline": fields.Date.to_string(task.deadline) or None,
                        }
                        for task in tasks.filtered(lambda t, case=case: t.assignment_id == case)
                    ],
                    "goals": [
                        {"name": goal.name, "actions": goal.action_ids.mapped("name")}
                        for goal in case.active_plan_id.goal_ids
                    ],
                }
                for case in cases
            ],
        }

    @api.model
    def _max_offline_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("family_assistant.phone_max_offline_days")
        )
        try:
            return max(1, int(value)) if value else PHONE_MAX_OFFLINE_DAYS
        except ValueError:
            return PHONE_MAX_OFFLINE_DAYS

    @api.model
    def _options(self):
        Visit = self.env["assist.visit"]
        duties = self.env["assist.statutory.duty"].search([])
        return {
            "kind": Visit._fields["kind"]._description_selection(self.env),
            "place": Visit._fields["place"]._description_selection(self.env),
            "duties": [[duty.id, duty.display_name] for duty in duties],
        }

    @api.model
    def _visit_data(self, visit):
        """A visit as the phone holds it; its free text only for the visits the
        caller recorded (the ones the phone may edit)."""
        own = visit.user_id == self.env.user
        return {
            "id": visit.id,
            "uuid": visit.uuid,
            "assignment_id": visit.assignment_id.id,
            "start": fields.Datetime.to_string(visit.start),
            "duration": visit.duration,
            "kind": visit.kind,
            "place": visit.place,
            "member_ids": visit.member_ids.ids,
            "duty_ids": visit.duty_ids.ids,
            "actions_taken": (visit.actions_taken or "") if own else "",
            "next_steps": (visit.next_steps or "") if own else "",
            "signed": bool(visit.signature),
            "signed_by": visit.signed_by or "",
            "write_date": fields.Datetime.to_string(visit.write_date),
            "revision": visit.revision,
            "editable": own and not visit._lock_reason(),
        }

    # ------------------------------------------------------------ sync
    @api.model
    def sync(self, visits):
        """Each visit the phone sends, in its own savepoint: created, unchanged
        (sent before), updated, a conflict (edited on an older version: nothing
        is overwritten) or refused (with the reason, in Polish)."""
        self._check_phone_user()
        if not isinstance(visits, list):
            raise UserError(_("The phone sent no list of visits."))
        uuids = [item.get("uuid") for item in visits if isinstance(item, dict)]
        known = {
            visit.uuid: visit
            for visit in self.env["assist.visit"].search(
                [("uuid", "in", [u for u in uuids if isinstance(u, str)])]
            )
        }
        return {"results": [self._sync_visit(item, known) for item in visits]}

    @api.model
    def _sync_visit(self, item, known):
        uuid = item.get("uuid") if isinstance(item, dict) else None
        result = {"uuid": uuid, "status": "refused", "id": None, "message": None}
        try:
            if not isinstance(uuid, str) or not UUID_PATTERN.match(uuid):
                raise UserError(_("The visit has no valid identifier."))
            visit = known.get(uuid)
            base_write_date = item.get("base_write_date")
            with self.env.cr.savepoint():
                if not visit:
                    if base_write_date:
                        raise UserError(
                            _("The visit you edited is no longer on the server, or not yours.")
                        )
                    visit = self.env["assist.visit"].create(self._create_vals(item))
                    self.env.flush_all()
                    known[uuid] = visit  # the same visit twice in one batch
                    result["status"] = "created"
                elif not base_write_date:
                    result["status"] = "unchanged"  # sent before
                elif self._is_stale(visit, item):
                    result.update(
                        status="conflict",
                        message=_(
                            "The visit was changed elsewhere after your edit began: "
                            "choose which version to keep."
                        ),
                    )
                else:
                    vals = self._write_vals(item, visit)
                    if vals:
                        visit.write(vals)
                        self.env.flush_all()
                    result["status"] = "updated" if vals else "unchanged"
        except (UserError, ValidationError, AccessError, MissingError) as error:
            result["message"] = error.args[0]
            visit = None
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            # another transaction on the same case: Odoo runs the whole request
            # again, which is safe (a visit is known by its uuid)
            raise
        except (psycopg2.Error, ValueError, TypeError) as error:
            _logger.info("Phone sync: visit %s refused: %s", uuid, error)
            result["message"] = _("The visit could not be saved: check its data.")
            visit = None
        if visit:
            result["id"] = visit.id
            result["server"] = self._visit_data(visit)
        return result

    @api.model
    def _is_stale(self, visit, item):
        """An edit begun on an older version of the visit than the server's."""
        base = self._parse_datetime(item.get("base_write_date"), _("the version edited"))
        if base < visit.write_date.replace(microsecond=0):
            return True
        revision = item.get("base_revision")
        return revision is not None and revision != visit.revision

    @api.model
    def _create_vals(self, item):
        assignment_id = item.get("assignment_id")
        if not isinstance(assignment_id, int) or isinstance(assignment_id, bool):
            raise UserError(_("The visit has no case."))
        vals = self._visit_vals(item)
        if not self.env["assist.assignment"].search_count([("id", "=", assignment_id)]):
            raise UserError(_("This case is not one of yours: no visit can be recorded in it."))
        self._check_members(assignment_id, item)
        vals.update(uuid=item["uuid"], assignment_id=assignment_id)
        return vals

    @api.model
    def _check_members(self, assignment_id, item):
        """Those present are members of the case's family (said plainly here; the
        model refuses them anyway)."""
        ids = set(item.get("member_ids") or ())
        members = self.env["assist.family.member"].search(
            [("id", "in", list(ids)), ("family_id.assignment_ids", "in", [assignment_id])]
        )
        if ids - set(members.ids):
            raise UserError(_("A person marked as present is not a member of this family."))

    @api.model
    def _write_vals(self, item, visit):
        """What the edit changes."""
        self._check_members(visit.assignment_id.id, item)
        current = self._visit_data(visit)
        vals = {}
        for name, value in self._visit_vals(item).items():
            if name == "signature" or name not in current:
                vals[name] = value
                continue
            now = current[name]
            if name in ("member_ids", "duty_ids"):
                if sorted(value[0][2]) != sorted(now):
                    vals[name] = value
            elif name == "start":
                if fields.Datetime.to_string(value) != now:
                    vals[name] = value
            elif (value or "") != (now or ""):
                vals[name] = value
        return vals

    @api.model
    def _visit_vals(self, item):
        """The values of the visit the phone sent, checked for their types (the
        model checks the rest)."""
        vals = {}
        for name in PHONE_VISIT_FIELDS:
            if name not in item:
                continue
            value = item[name]
            if name == "start":
                value = self._parse_datetime(value, _("the date and time"))
            elif name == "duration":
                if not isinstance(value, int | float) or isinstance(value, bool):
                    raise UserError(_("The duration of the visit is not a number."))
            elif name in ("member_ids", "duty_ids"):
                if not isinstance(value, list) or not all(
                    isinstance(i, int) and not isinstance(i, bool) for i in value
                ):
                    raise UserError(_("The members or duties of the visit are not valid."))
                value = [Command.set(value)]
            elif name != "duration":
                if value is not None and not isinstance(value, str):
                    raise UserError(_("The visit has a value that is not valid."))
                value = value or False
            vals[name] = value
        if item.get("signature"):
            vals["signature"] = self._signature(item["signature"])
            if not (item.get("signed_by") or "").strip():
                raise UserError(_("Say who signed the visit."))
        return vals

    @api.model
    def _signature(self, data):
        if not isinstance(data, str):
            raise UserError(_("The signature is not an image."))
        try:
            png = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as error:
            raise UserError(_("The signature is not an image.")) from error
        if not png.startswith(PNG_MAGIC) or len(png) > 512 * 1024:
            raise UserError(_("The signature is not an image."))
        return data

    @api.model
    def _parse_datetime(self, value, what):
        """A UTC date and time as the phone sends it ("2026-11-26 09:00:00", or
        ISO 8601 with T and Z)."""
        if not isinstance(value, str):
            raise UserError(_("The phone sent no valid %(what)s.", what=what))
        text = value.strip().replace("T", " ").removesuffix("Z")[:19]
        try:
            return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            try:
                return datetime.strptime(text, "%Y-%m-%d %H:%M")
            except ValueError as error:
                raise UserError(_("The phone sent no valid %(what)s.", what=what)) from error
