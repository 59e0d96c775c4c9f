"""A record's history in the admin: its list of versions, their changes, and a version's page."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from .. import history
from .. import models as records
from ..dates import format_partial_date
from .forms import partial_dates


def version_read_only(adminform, model_admin):
    """A version's form as Django's change form for a user who may only view: each field read-only, none
    prepopulated (a read-only field is not in the form to fill in).

    Django reads a read-only field from the record, here the version. A many-to-many field would read
    today's links of the record, and a date with a precision its full date: these are shown, in their
    place, as the editable form offers them, the version's links and the date at its precision."""
    form = adminform.form
    model = form._meta.model
    shown = {
        name: version_links(model._meta.get_field(name), ids)
        for name, ids in (history.restored_links(form.instance) or {}).items()
    }
    shown.update({name: date_at_precision(model._meta.get_field(name)) for name in partial_dates(model)})

    def in_place(line):
        if isinstance(line, (list, tuple)):
            return tuple(shown.get(name, name) for name in line)
        return shown.get(line, line)

    fieldsets = [
        (title, {**options, "fields": [in_place(line) for line in options["fields"]]})
        for title, options in adminform.fieldsets
    ]
    return helpers.AdminForm(form, fieldsets, {}, flatten_fieldsets(fieldsets), model_admin=model_admin)


def version_links(field, ids):
    """A read-only field showing the records a version was linked to by the many-to-many `field`."""

    def links(version):
        linked = field.related_model._default_manager.filter(pk__in=ids)
        return ", ".join(str(record) for record in linked) or admin.site.empty_value_display

    return shown_as(links, field)


def date_at_precision(field):
    """A read-only field showing a date as it is known: '2009', 'March 2024', '29 July 2025'."""

    def date(version):
        value, precision = getattr(version, field.name), getattr(version, f"{field.name}_precision")
        return format_partial_date(value, precision) or admin.site.empty_value_display

    return shown_as(date, field)


def shown_as(display, field):
    # Named as the field it stands for, so that the row keeps the field's help text and CSS class.
    display.__name__ = field.name
    return admin.display(description=capfirst(field.verbose_name))(display)


# What made a version saved without a user, by its reason, where the reason does not say it already
# (history.give_first_versions gives "Loaded from the fixtures"; an import of figures gives "Import"). The reason
# is stored as it was written, in English, and matched as such; what is shown in its place is translated.
MADE_WITHOUT_A_USER = {"Import": _("An import from the command line")}
NO_USER_RECORDED = _("No user recorded")


def made_by(version):
    """Who or what made a version, as the history list's "Changed by" says it: its user, or for a version made
    without one (a fixture load, a restore, a command) the wording of its reason, never "None"."""
    if version.history_user_id is not None:
        return version.history_user
    reason = version.history_change_reason
    return MADE_WITHOUT_A_USER.get(reason, reason) or NO_USER_RECORDED


class VersionListed:
    """A version as simple-history's list of versions (its object_history_list.html) shows it, that template
    reading these names: `history_user` is who or what made it (made_by); `history_user_id` the user its name
    links to, or "" where there is no page to link to (no user; a viewer who may not see users), the template's
    {% url %} then finding no address and showing the name alone. The rest is the version's own."""

    def __init__(self, version, link_user):
        self.version = version
        self.history_user = made_by(version)
        self.history_user_id = version.history_user_id if link_user and version.history_user_id is not None else ""

    def __getattr__(self, name):
        return getattr(self.version, name)


def shown_in_history(model, name):
    """How the history list shows field `name` of a version, or None to leave it to simple-history: an amount
    as the site writes it, with its unit ('$5 billion': `value` with `unit`, `equivalent_value` with
    `equivalent_unit`), a date kept with a precision at that precision ('2012', 'March 2024')."""
    field = model._meta.get_field(name)
    if name in partial_dates(model):
        return lambda version: format_partial_date(getattr(version, name), getattr(version, f"{name}_precision"))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return lambda version: format_partial_date(getattr(version, name))
    unit = f"{name.removesuffix('value')}unit"
    names = {f.name for f in model._meta.fields}
    if isinstance(field, models.DecimalField) and name.endswith("value") and unit in names:
        return lambda version: records.format_amount(getattr(version, name), getattr(version, unit))
    return None


class VersionChanges(HistoricalRecordContextHelper):
    """A version's changes as the history list shows them (simple-history's helper for them, shown_in_history
    for amounts and dates), each side read from its own version: an amount with that version's unit, a date at
    that version's precision."""

    def context_for_delta_changes(self, delta):
        shown = super().context_for_delta_changes(delta)
        for change, entry in zip(delta.changes, shown, strict=True):
            display = shown_in_history(self.model, change.field)
            if display is not None:
                entry["old"] = display(delta.old_record) or admin.site.empty_value_display
                entry["new"] = display(delta.new_record) or admin.site.empty_value_display
            # A value that was or became empty reads as the admin's dash, not "None".
            if change.old in (None, ""):
                entry["old"] = admin.site.empty_value_display
            if change.new in (None, ""):
                entry["new"] = admin.site.empty_value_display
        return shown
