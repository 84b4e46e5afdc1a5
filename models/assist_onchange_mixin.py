from odoo import _, models
from odoo.exceptions import AccessError


class AssistOnchangeMixin(models.AbstractModel):
    """A form of the procedure (a record or a wizard) computes its values on the
    server while the user types (`onchange`): some of those computes read other
    records as superuser (figures of a case, names of a family). Over RPC the values
    are input: the form runs only for a user who may create or change such a record,
    and only with chosen records that user may read."""

    _name = "assist.onchange.mixin"
    _description = "Form of the procedure computed for the user"

    def onchange(self, values, field_names, fields_spec):
        if not self.env.su:
            self.check_access("write" if self else "create")
            self._check_onchange_values(values)
        return super().onchange(values, field_names, fields_spec)

    def _check_onchange_values(self, values):
        for name, value in values.items():
            field = self._fields.get(name)
            if not field or field.type not in ("many2one", "many2many"):
                continue
            ids = []
            if field.type == "many2one" and isinstance(value, int):
                ids = [value]
            elif field.type == "many2many" and isinstance(value, list):
                for command in value:
                    if isinstance(command, int):
                        ids.append(command)
                    elif isinstance(command, list | tuple) and len(command) > 1:
                        if command[0] == 6:
                            ids += list(command[2])
                        elif command[0] == 4:
                            ids.append(command[1])
            chosen = self.env[field.comodel_name].browse(ids)
            if chosen and chosen._filtered_access("read") != chosen:
                raise AccessError(
                    _(
                        "%(field)s: you chose a record you have no access to.",
                        field=field._description_string(self.env),
                    )
                )
