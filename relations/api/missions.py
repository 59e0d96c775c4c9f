"""Diplomatic missions: embassies, consulates and honorary consulates."""

from typing import Literal

from ninja import Field, Query, Router

from .. import forms
from .. import models as records
from . import lists
from .schemas import (
    CountryRef,
    Error,
    LastChanged,
    LicenceOut,
    PartialDate,
    PlaceRef,
    Precision,
    Quotation,
    ReaderNote,
    RecordOut,
    SourceOut,
    licence,
    partial_date,
)

router = Router(tags=["Missions"])


class MissionOut(RecordOut):
    slug: str
    url: str = Field(description="Its page on this site.")
    name: str = Field(description="As pages name it.")
    sender: CountryRef
    host: CountryRef
    place: PlaceRef = Field(description="Its city.")
    kind: Literal[tuple(records.Mission.Kind.values)]
    opened_on: PartialDate | None
    opened_on_precision: Precision
    address: str
    website: str
    source: SourceOut
    quotation: Quotation
    reader_note: ReaderNote
    last_changed: LastChanged

    @staticmethod
    def resolve_name(mission):
        name = str(mission)
        return name[:1].upper() + name[1:]

    @staticmethod
    def resolve_opened_on(mission):
        return partial_date(mission.opened_on, mission.opened_on_precision)


class MissionDetailOut(MissionOut):
    licence: LicenceOut

    @staticmethod
    def resolve_licence(mission):
        return licence()


def published_missions():
    return (
        records.Mission.objects.published()
        .select_related("sender", "host", "place", "source__reported_in")
        .order_by("sender__name", "kind", "place__name", "pk")
    )


MissionParameters = lists.parameters_of(forms.MissionFilterForm)


@router.get(
    "/missions", response=lists.list_responses(MissionOut), openapi_extra=lists.CSV_TOO, summary="Diplomatic missions"
)
def mission_list(request, filters: Query[MissionParameters]):
    """Missions by sending country, kind and city."""
    return lists.answer_list(request, "missions", forms.MissionFilterForm, published_missions(), MissionOut, filters)


@router.get("/missions/{slug}", response={200: MissionDetailOut, 404: Error}, summary="A diplomatic mission")
def mission_detail(request, slug: str = lists.key_in_path()):
    return lists.found(
        lists.with_last_changed(published_missions()), f"No published mission is known by “{slug}”.", slug=slug
    )
