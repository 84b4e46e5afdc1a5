from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import MAGIC_COLUMNS
from odoo.tools import format_date
from odoo.tools.safe_eval import safe_eval
from odoo.tools.view_validation import get_domain_value_names

from .access_policy import ALL, FIXED, FUTURE_DATES, INPUT, ROLE_FIELDS, ROLE_GROUPS

# the framework's fields: messages, followers and activities have their own API
FRAMEWORK_MODELS = ("mail.thread", "mail.activity.mixin")


def text_html(text):
    """Plain text as an HTML paragraph, for the notes the system writes (to-dos):
    what a user typed there (a family's name...) is escaped, never taken as HTML."""
    return Markup("<p>%s</p>") % text


class AssistGuardMixin(models.AbstractModel):
    """A record of the procedure whose promises hold on every path.

    A logged-in user reaches `create` and `write` over RPC with any values and
    any context. For users (not for the server's own actions, which run as
    superuser after their checks) this mixin enforces, from one declaration
    (`access_policy.py`):

    - who sets which field: fields set by the server are refused, fixed fields
      are given only at creation, some roles set only some fields; the
      `default_*` keys of the context and `ir.default` values of those fields
      are ignored;
    - that every record chosen in a relational field is one the user may read
      and that satisfies the field's domain (a member of *this* family...);
    - the input bounds: valid choices and dates, text lengths, no NUL character,
      dates in a sane window and not before the case;
    - "kept as it was": a locked record (`_lock_reason`) and the lines that hang
      from it (`_lock_parent`) are neither written, nor extended, nor deleted.
    Every refusal is an `AccessError` or a `ValidationError` in the user's
    language, raised before anything is written, or rolled back with the call.
    """

    _name = "assist.guard.mixin"
    _inherit = ["assist.onchange.mixin"]
    _description = "Record of the procedure guarded on every path"

    # message_post and mail.message check the author of messages on these records
    _assist_guarded = True
    # the field of the record this one is a line of: it is locked with it
    _lock_parent = None
    # free text about the family, emptied when the family is anonymised
    _anonymise_fields = ()
    # fields that identify a person: nobody groups or counts records by them
    _no_group_fields = ()

    # ------------------------------------------------------------ the declaration
    @api.model
    def _user_roles(self):
        """The roles of the procedure the current user has ("worker", ...)."""
        user = self.env.user
        return frozenset(role for role, group in ROLE_GROUPS.items() if user.has_group(group))

    @api.model
    def _server_fields(self):
        """Fields only the server sets: those declared readonly, the framework's."""
        framework = set(MAGIC_COLUMNS) | {"display_name"}
        for name in FRAMEWORK_MODELS:
            if name in self.env:
                framework |= set(self.env[name]._fields)
        return {name for name, field in self._fields.items() if field.readonly or name in framework}

    @api.model
    def _policy(self, table):
        """The entry of `table` (FIXED, ROLE_FIELDS...) for this model, or for the
        nearest mixin it inherits that has one."""
        for name in (self._name, *self._inherit_chain()):
            if name in table:
                return table[name]
        return None

    @api.model
    def _inherit_chain(self):
        parents = self._inherit if isinstance(self._inherit, list | tuple) else [self._inherit]
        return [name for name in parents if name and name != self._name]

    @api.model
    def _fixed_fields(self):
        return set(self._policy(FIXED) or ())

    @api.model
    def _settable_fields(self, operation):
        """The fields the current user may send on `operation` ("create" or "write")."""
        settable = set(self._fields) - self._server_fields()
        if operation == "write":
            settable -= self._fixed_fields()
        per_role = self._policy(ROLE_FIELDS)
        if per_role is None:
            return settable
        allowed = set()
        for role in self._user_roles():
            names = per_role.get(role, ())
            allowed |= settable if names == ALL else set(names)
        return settable & allowed

    @api.model
    def _future_date_fields(self):
        return set(self._policy(FUTURE_DATES) or ())

    def _field_label(self, name):
        return self._fields[name]._description_string(self.env)

    @api.model
    def _model_label(self):
        """The name of the model in the user's language."""
        return self.env["ir.model"]._get(self._name).name

    # ------------------------------------------------------------ the ORM
    @api.model
    def default_get(self, fields_list):
        """The `default_*` keys of the context and the user's `ir.default` values
        set only the fields the user may set; the others get the model's own
        default, or none."""
        defaults = super().default_get(fields_list)
        if self.env.su:
            return defaults
        settable = self._settable_fields("create")
        for name in set(defaults) - settable:
            field = self._fields.get(name)
            if not field:
                continue
            if field.default:
                value = field.convert_to_cache(field.default(self), self, validate=False)
                defaults[name] = field.convert_to_write(value, self)
            else:
                del defaults[name]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        # the server adds its own values: not into the caller's dictionaries
        vals_list = [dict(vals) for vals in vals_list]
        if self.env.su:
            return super().create(self._server_create_vals(vals_list))
        for vals in vals_list:
            self._check_settable("create", vals)
            self._check_values(vals)
        self._check_create(vals_list)
        records = super().create(self._server_create_vals(vals_list))
        records._check_unlocked()
        settable = self._settable_fields("create")
        records._check_relations(settable)
        records._check_date_window(settable)
        return records

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        self._check_settable("write", vals)
        self._check_values(vals)
        self._check_write(vals)
        self._check_unlocked(vals)
        result = super().write(vals)
        self._check_relations(vals)
        self._check_date_window(vals)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        if not self.env.su:
            self._check_unlocked()

    def copy_data(self, default=None):
        """A copy made by a user starts without the values the server sets."""
        vals_list = super().copy_data(default)
        if self.env.su:
            return vals_list
        keep = self._settable_fields("create") | set(default or ())
        return [{name: value for name, value in vals.items() if name in keep} for vals in vals_list]

    # hooks of the models
    @api.model
    def _server_create_vals(self, vals_list):
        """The values the server sets when the records are made (a number...),
        added after the user's values were checked."""
        return vals_list

    def _check_create(self, vals_list):
        """Whether the current user may make these records (before they are made)."""

    def _check_write(self, vals):
        """Whether the current user may change these records (before they are)."""

    # ------------------------------------------------------------ reads leave a trace
    @api.model
    def _reads_logged(self):
        """Whether the audit log records the user's reads of this model."""
        return not self.env.su and getattr(type(self), "auditlog_ruled_read", False)

    @api.model
    def search_read(
        self, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs
    ):
        """Through `read`, so that the audit log records what was read."""
        if not self._reads_logged():
            return super().search_read(domain, fields, offset, limit, order, **read_kwargs)
        records = self.search(domain or [], offset=offset, limit=limit, order=order)
        return records.read(fields, **read_kwargs) if records else []

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """The names found are personal data too: the audit log records them."""
        result = super().name_search(name, args, operator, limit)
        if result and self._reads_logged():
            self.browse([record_id for record_id, _name in result]).read([self._rec_name])
        return result

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        if not self.env.su and self._no_group_fields:
            used = {spec.split(":")[0].split(".")[0] for spec in (*groupby, *aggregates)}
            refused = used & set(self._no_group_fields)
            if refused:
                raise AccessError(
                    _(
                        "Records are not grouped or counted by %(field)s: it identifies a person.",
                        field=self._field_label(min(refused)),
                    )
                )
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    # ------------------------------------------------------------ who sets what
    def _check_settable(self, operation, vals):
        unknown = set(vals) - set(self._fields)
        if unknown:
            raise ValidationError(
                _(
                    "%(record)s has no field %(field)s.",
                    record=self._model_label(),
                    field=", ".join(sorted(unknown)),
                )
            )
        refused = sorted(set(vals) - self._settable_fields(operation))
        if not refused:
            return
        name = refused[0]
        labels = {"field": self._field_label(name), "record": self._model_label()}
        if name in self._server_fields():
            message = _(
                "%(field)s of %(record)s is set by the system when the step of the procedure "
                "is taken: it cannot be entered or changed by hand.",
                **labels,
            )
        elif operation == "write" and name in self._fixed_fields():
            message = _(
                "%(field)s of %(record)s is given when the record is made and cannot be "
                "changed afterwards.",
                **labels,
            )
        else:
            message = _("%(field)s of %(record)s is not yours to set.", **labels)
        raise AccessError(message)

    # ------------------------------------------------------------ input bounds
    def _check_values(self, vals):
        """Each value is valid for its field: a choice of the list, a date, a
        number, a text of bounded length without NUL characters."""
        for name, value in vals.items():
            field = self._fields[name]
            label = self._field_label(name)
            if isinstance(value, str):
                if "\x00" in value:
                    raise ValidationError(
                        _("%(field)s contains a character that cannot be saved.", field=label)
                    )
                limit = {
                    "text": INPUT["text_max"],
                    "html": INPUT["text_max"],
                    "binary": INPUT["binary_max"],
                }.get(field.type, INPUT["char_max"])
                if len(value) > limit:
                    raise ValidationError(
                        _(
                            "%(field)s is too long: at most %(max)s characters.",
                            field=label,
                            max=limit,
                        )
                    )
            if field.type in ("one2many", "many2many") or value is False or value is None:
                continue
            try:
                field.convert_to_cache(value, self)
            except (ValueError, TypeError) as error:
                raise ValidationError(
                    _(
                        "%(value)s is not a valid value of %(field)s.",
                        value=repr(value)[:40],
                        field=label,
                    )
                ) from error

    def _earliest_date(self, name):
        """The earliest date `name` may hold on this record."""
        return INPUT["earliest_date"]

    def _check_date_window(self, names):
        """Dates of what has happened are not in the future nor before the record's
        earliest date; dates that may lie ahead stay within a few years."""
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        future = self._future_date_fields()
        for name in names:
            field = self._fields.get(name)
            if not field or field.type not in ("date", "datetime"):
                continue
            for record in self:
                value = record[name]
                if not value:
                    continue
                is_datetime = field.type == "datetime"
                day = (
                    fields.Datetime.context_timestamp(record, value).date()
                    if is_datetime
                    else value
                )
                labels = {
                    "field": self._field_label(name),
                    "date": format_date(self.env, day),
                }
                earliest = max(record._earliest_date(name), INPUT["earliest_date"])
                if day < earliest:
                    raise ValidationError(
                        _(
                            "%(field)s: %(date)s is too early; the earliest possible date is "
                            "%(earliest)s.",
                            earliest=format_date(self.env, earliest),
                            **labels,
                        )
                    )
                if name in future:
                    if day > today + relativedelta(years=INPUT["future_years"]):
                        raise ValidationError(
                            _("%(field)s: %(date)s is too far in the future.", **labels)
                        )
                elif (value > now) if is_datetime else (value > today):
                    raise ValidationError(
                        _("%(field)s: %(date)s is a date in the future.", **labels)
                    )

    # ------------------------------------------------------------ chosen records
    def _check_relations(self, names):
        """Every record chosen in a many2one or many2many is one the user may read
        and one the field's domain allows (the same domain the picker shows)."""
        for name in names:
            field = self._fields.get(name)
            if not field or field.type not in ("many2one", "many2many"):
                continue
            chosen = self.mapped(name)
            if chosen and chosen._filtered_access("read") != chosen:
                raise AccessError(
                    _(
                        "%(field)s: you chose a record you have no access to.",
                        field=self._field_label(name),
                    )
                )
            for record in self:
                domain = record._relation_domain(field)
                targets = record[name].sudo().with_context(active_test=False)
                if domain and targets.filtered_domain(domain) != targets:
                    raise ValidationError(
                        _(
                            "%(field)s: the chosen record does not belong here (e.g. a "
                            "member of another family).",
                            field=self._field_label(name),
                        )
                    )

    def _relation_domain(self, field):
        """The domain of a relational field, evaluated with this record's values."""
        domain = field.domain(self) if callable(field.domain) else field.domain
        if not isinstance(domain, str):
            return domain or []
        names, contextual = get_domain_value_names(domain)
        values = {
            "uid": self.env.uid,
            "context": self.env.context,
            "allowed_company_ids": self.env.companies.ids,
        }
        for key in names | contextual:
            if key in self._fields:
                value = self[key]
                values[key] = value.ids if isinstance(value, models.BaseModel) else value
                if self._fields[key].type == "many2one":
                    values[key] = value.id
        return safe_eval(domain, values)

    # ------------------------------------------------------------ kept as it was
    def _lock_reason(self):
        """Why this record is kept as it is (a message), or False. A line is
        locked with the record it hangs from."""
        self.ensure_one()
        parent = self._lock_parent and self[self._lock_parent]
        return parent._lock_reason() if parent else False

    def _check_unlocked(self, vals=None):
        """Refuse to change, extend or delete a locked record."""
        for record in self:
            reason = record._lock_reason()
            if reason:
                raise UserError(reason)

    def _anonymise(self):
        """Empty the personal data (`_anonymise_fields`); the records stay, with
        their dates and kinds, so that the statistics stay true. Called under sudo,
        by the anonymisation of a family only: one write per set of values."""
        if not self._anonymise_fields:
            return
        if hasattr(self, "_track_discard"):
            # the tracking would copy the old values into a new message at commit
            self._track_discard()
        batches = {}
        for record in self:
            values = record._anonymise_values()
            batches.setdefault(tuple(sorted(values.items())), self.browse())
            batches[tuple(sorted(values.items()))] |= record
        for values, records in batches.items():
            records.write(dict(values))

    def _anonymise_values(self):
        """{field: the value that replaces it}: a dash where a value is required."""
        self.ensure_one()
        return {
            name: "—" if self._fields[name].required else False for name in self._anonymise_fields
        }
