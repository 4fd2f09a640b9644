"""Forms of the facility pages: registry entry (facility + the details of its kind),
registry filters, CSV upload, and the gap-analysis parameters.

The registry forms carry every validation rule: nursing-type beds ≤ beds,
residents ≤ beds, the position inside the stated division (``Facility.clean``), and the
division inside the user's jurisdiction. The CSV importer fills the same forms row by
row, so a file is held to exactly the rules of the web form.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.gis.geos import Point
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from boundaries.codes import Level
from boundaries.models import Division
from facilities.gaps import MAX_RADIUS_KM
from facilities.models import CommunityDetails, ElderlyCareDetails, Facility, Kind, StationDetails, Status
from facilities.scenarios import MAX_COUNT
from geoapp.forms import SiteFormMixin
from geoapp.gis import CGCS2000
from geoapp.jurisdiction import code_prefix, normalise_code


class DivisionCodeField(forms.Field):
    """A current division entered by its 12-digit (or 6/9-digit) statistical code."""

    widget = forms.TextInput(attrs={"maxlength": 12, "inputmode": "numeric", "pattern": "[0-9]{6,12}"})
    default_error_messages = {
        "invalid": _("区划代码应为 6、9 或 12 位数字"),
        "unknown": _("没有代码为 %(code)s 的现行行政区划"),
    }

    def prepare_value(self, value):
        if isinstance(value, Division):
            return value.code
        if isinstance(value, int):  # a ModelForm's initial value of a foreign key is its pk
            return Division.objects.filter(pk=value).values_list("code", flat=True).first() or ""
        return value

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if value in self.empty_values:
            return None
        try:
            code = normalise_code(value)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        division = Division.objects.current().filter(code=code).first()
        if division is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"code": code})
        return division


class LonLatWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        number = {"step": "any", "inputmode": "decimal"}
        super().__init__([forms.NumberInput({**number, "placeholder": _("经度")}),
                          forms.NumberInput({**number, "placeholder": _("纬度")})], attrs)

    def decompress(self, value):
        if value is None:
            return [None, None]
        return [round(value.x, 7), round(value.y, 7)]


class LonLatField(forms.MultiValueField):
    """A CGCS2000 point entered as longitude and latitude in decimal degrees."""

    widget = LonLatWidget

    def __init__(self, **kwargs):
        fields = (
            forms.FloatField(min_value=73, max_value=136, error_messages={
                "min_value": _("经度应在 73 到 136 之间（中国范围）"), "max_value": _("经度应在 73 到 136 之间（中国范围）")}),
            forms.FloatField(min_value=3, max_value=54, error_messages={
                "min_value": _("纬度应在 3 到 54 之间（中国范围）"), "max_value": _("纬度应在 3 到 54 之间（中国范围）")}),
        )
        super().__init__(fields=fields, require_all_fields=True, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        lon, lat = data_list
        return Point(lon, lat, srid=CGCS2000)


class FacilityForm(SiteFormMixin, forms.ModelForm):
    """The registry fields of a facility; ``user`` limits the division to their jurisdiction."""

    division = DivisionCodeField(label=_("所在区划代码"), help_text=_("12 位统计用区划代码，村级机构填村代码"))
    location = LonLatField(label=_("位置（经度、纬度）"), help_text=_("CGCS2000 经纬度，十进制度；可在地图上点选"))

    class Meta:
        model = Facility
        fields = ["kind", "name", "division", "location", "status", "address", "operator", "opened_on", "contact"]
        widgets = {"opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_division(self):
        division = self.cleaned_data["division"]
        if division is not None and not self.user.can_act_on(division.code):
            raise forms.ValidationError(_("%(name)s（%(code)s）不在您的辖区内"), params={
                "name": division.name, "code": division.code})
        return division


class DetailsForm(SiteFormMixin, forms.ModelForm):
    """Details are optional facts: an empty number means the model's default (0)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            model_field = self._meta.model._meta.get_field(name)
            if value is None and not model_field.null and model_field.has_default():
                data[name] = model_field.get_default()
        return data


class ElderlyCareForm(DetailsForm):
    class Meta:
        model = ElderlyCareDetails
        fields = ["beds", "nursing_beds", "residents_self_care", "residents_semi", "residents_disabled",
                  "care_staff", "staff_total", "county_level", "disabled_focus"]

    def clean(self):
        data = super().clean()
        beds = data.get("beds")
        if beds is None:
            return data
        nursing = data.get("nursing_beds")
        if nursing is not None and nursing > beds:
            self.add_error("nursing_beds", _("护理型床位数（%(nursing)d）不能超过床位数（%(beds)d）") % {
                "nursing": nursing, "beds": beds})
        groups = [data.get(f) for f in ("residents_self_care", "residents_semi", "residents_disabled")]
        if None not in groups and sum(groups) > beds:
            self.add_error("residents_self_care", _("入住老人合计（%(residents)d）不能超过床位数（%(beds)d）") % {
                "residents": sum(groups), "beds": beds})
        return data


class StationForm(DetailsForm):
    class Meta:
        model = StationDetails
        fields = ["floor_area_m2", "staff", "children_directors"]

    def clean_floor_area_m2(self):
        area = self.cleaned_data["floor_area_m2"]
        if area is not None and area < 0:
            raise forms.ValidationError(_("面积不能为负数"))
        return area


SERVICE_SEPARATORS = re.compile(r"[、,，;；/|\s]+")


class CommunityForm(DetailsForm):
    services = forms.CharField(
        label=_("配套服务"), required=False, max_length=300, help_text=_("用顿号分隔，如：幼儿园、卫生室、日间照料中心")
    )

    class Meta:
        model = CommunityDetails
        fields = ["households", "population", "relocation_year", "urban_site", "services"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and isinstance(self.instance.services, list):
            self.initial["services"] = "、".join(self.instance.services)

    def clean_services(self):
        return [s for s in SERVICE_SEPARATORS.split(self.cleaned_data["services"] or "") if s]

    def clean_relocation_year(self):
        year = self.cleaned_data["relocation_year"]
        if year is not None and not 1980 <= year <= 2100:
            raise forms.ValidationError(_("搬迁年份应为四位年份"))
        return year

    def clean(self):
        data = super().clean()
        households, population = data.get("households"), data.get("population")
        if households and population is not None and population < households:
            self.add_error("population", _("人口不应少于户数"))
        return data


DETAIL_FORMS = {
    **{kind: ("elderly", ElderlyCareForm, "elderly_care") for kind in
       (Kind.CARE_HOME, Kind.NURSING_HOME, Kind.ELDERLY_SERVICE_CENTER, Kind.HAPPINESS_HOME)},
    **{kind: ("station", StationForm, "station") for kind in (Kind.CHILD_PROTECTION_STATION, Kind.SOCIAL_WORK_STATION)},
    Kind.RESETTLEMENT_COMMUNITY: ("community", CommunityForm, "community"),
}


def detail_forms(*, data=None, facility: Facility | None = None) -> dict[str, forms.ModelForm]:
    """One details form per detail group (prefixes ``elderly``, ``station``, ``community``)."""
    built = {}
    for prefix, form_class, relation in {v for v in DETAIL_FORMS.values()}:
        instance = getattr(facility, relation, None) if facility is not None and facility.pk else None
        built[prefix] = form_class(data=data, instance=instance, prefix=prefix)
    return dict(sorted(built.items(), key=lambda item: ("elderly", "station", "community").index(item[0])))


def details_form_for(kind: str, forms_by_prefix: dict) -> forms.ModelForm | None:
    entry = DETAIL_FORMS.get(kind)
    return forms_by_prefix[entry[0]] if entry else None


class FacilityFilterForm(forms.Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=50)
    division = forms.CharField(label=_("区划代码"), required=False, max_length=12)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *Kind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *Status.choices])

    def clean_division(self):
        raw = self.cleaned_data["division"].strip()
        if not raw:
            return ""
        if not raw.isdigit() or len(raw) > 12:
            raise forms.ValidationError(_("区划代码应为数字"))
        return raw

    def filter(self, queryset):
        """``queryset`` narrowed by the valid filters (division as a code prefix)."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(name__contains=data["q"])
        if data["division"]:
            raw = data["division"]
            prefix = code_prefix(raw) if len(raw) in (2, 4, 6, 9, 12) else raw
            queryset = queryset.filter(division__code__startswith=prefix)
        if data["kind"]:
            queryset = queryset.of_kind(data["kind"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        return queryset


class ImportForm(SiteFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV 文件"), help_text=_("UTF-8 或 GB18030 编码，列名与导出文件相同"))
    dry_run = forms.BooleanField(label=_("仅检查，不保存"), required=False, initial=True)


class GapParamsForm(forms.Form):
    """``division``, ``kind`` and ``radius_km`` of the gap page; the division within ``user``'s reach."""

    division = forms.ChoiceField(label=_("区划"))
    kind = forms.ChoiceField(label=_("设施类型"), choices=Kind.choices, initial=Kind.CHILD_PROTECTION_STATION)
    radius_km = forms.FloatField(
        label=_("服务半径（千米）"), required=False, min_value=0.1, max_value=MAX_RADIUS_KM,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )

    def __init__(self, data, *, user):
        data = data.copy()
        if data.get("division"):
            try:
                data["division"] = normalise_code(data["division"])
            except ValueError:
                pass  # left as typed; the choice check reports it
        else:
            data["division"] = self.default_division(user)
        data.setdefault("kind", Kind.CHILD_PROTECTION_STATION)
        super().__init__(data)
        self.user = user
        counties = Division.objects.current().at_level(Level.COUNTY).for_user(user).order_by("code")
        choices = list(counties.values_list("code", "name"))
        extra = Division.objects.current().filter(code=data["division"]).exclude(level=Level.VILLAGE)
        extra = [(d.code, d.name) for d in extra.for_user(user) if (d.code, d.name) not in choices]
        self.fields["division"].choices = extra + choices

    @staticmethod
    def default_division(user) -> str:
        """The user's own county, else the first county of the jurisdiction."""
        current = Division.objects.current()
        own = current.filter(code=user.jurisdiction_code).exclude(level=Level.VILLAGE).first()
        if own is not None and own.level in (Level.COUNTY, Level.TOWNSHIP):
            return own.code
        county = current.at_level(Level.COUNTY).for_user(user).order_by("code").first()
        return county.code if county else ""

    def clean_division(self):
        return Division.objects.current().get(code=self.cleaned_data["division"])


def _count_range() -> str:
    return gettext("新增站点数 count 应在 1 到 %(max)d 之间") % {"max": MAX_COUNT}


COUNT_RANGE = lazy(_count_range, str)()  # translated when shown, like the field's other messages


class SuggestForm(forms.Form):
    """The gap page's "建议新站点" form (sent as JSON by gaps.js to the suggest API, which
    validates the body's ``count`` and ``name`` with it; the messages name the JSON keys)."""

    NAME_LENGTH = 100  # SiteScenario.name; a longer name is cut, as the page's field cannot send one

    count = forms.IntegerField(
        label=_("新增站点数"), min_value=1, max_value=MAX_COUNT, initial=2,
        error_messages={"invalid": _("新增站点数 count 应为整数"), "required": COUNT_RANGE,
                        "min_value": COUNT_RANGE, "max_value": COUNT_RANGE},
    )
    name = forms.CharField(label=_("方案名称"), required=False,
                           widget=forms.TextInput(attrs={"maxlength": NAME_LENGTH}))

    def clean_name(self) -> str:
        return self.cleaned_data["name"][: self.NAME_LENGTH]
