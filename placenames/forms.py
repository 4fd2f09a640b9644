"""Forms of the naming workflow pages. Divisions and renamed places are given by code,
resolved inside the user's jurisdiction (no 7,000-row drop-downs)."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boundaries.models import Division
from geoapp.forms import SiteFormMixin
from geoapp.jurisdiction import normalise_code
from placenames.models import Category, NameKind, NamingApplication, PlaceName, default_consultation_days

# ISO format as text: a browser's <input type=date> follows the *browser's* locale and shows
# mm/dd/yyyy inside a Chinese page on an English-set-up machine; 2026-12-01 reads the same
# everywhere (and is what GB/T 7408 writes).
_DATE = forms.DateInput(format="%Y-%m-%d", attrs={
    "placeholder": "2026-12-01", "pattern": r"\d{4}-\d{2}-\d{2}", "inputmode": "numeric", "autocomplete": "off",
})


class ApplicationForm(SiteFormMixin, forms.ModelForm):
    division_code = forms.CharField(
        label=_("所在行政区划"), max_length=12,
        help_text=_("输入名称、拼音或代码查找并选择，如 永清镇、yongqing、620521100"),
    )
    place_code = forms.CharField(
        label=_("更名对象（地名代码或编号）"), max_length=32, required=False,
        help_text=_("更名时填写现有地名的代码，如 620521100000；命名新地理实体时留空"),
    )

    class Meta:
        model = NamingApplication
        fields = ["applicant", "proposed_name", "kind", "category", "location_description", "scale", "nature",
                  "geo_significant", "reasons", "meaning", "origin"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("location_description", "reasons", "meaning", "origin")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["category"].required = False
        self.fields["category"].choices = [("", _("按地名类型默认")), *Category.choices]
        self.fields["kind"].choices = NameKind.choices
        if not self.instance.pk:
            self.fields["kind"].initial = NameKind.VILLAGE  # the most common application
        # A division picker (geoapp/static/geoapp/division_picker.js) instead of typing a code.
        self.fields["division_code"].widget.attrs.update({
            "data-division-picker": "", "data-search-url": reverse("division-search"),
            "data-names-url": reverse("placename-search"),
            # …or by a click on a small map of the user's jurisdiction.
            "data-at-url": reverse("division-at"), "data-divisions-url": reverse("division-list"),
            "data-root": getattr(user, "jurisdiction_code", "") or "",
        })
        if self.instance.pk:
            self.fields["division_code"].initial = self.instance.division.code
            self.fields["division_code"].widget.attrs["data-name"] = self.instance.division.name
            self.fields["place_code"].initial = (self.instance.place.code or self.instance.place.pk) if self.instance.place else ""

    def clean_division_code(self):
        raw = self.cleaned_data["division_code"]
        try:
            code = normalise_code(raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        division = Division.objects.current().for_user(self.user).filter(code=code).first()
        if division is None:
            raise forms.ValidationError(_("辖区内没有代码为 %(code)s 的现行区划") % {"code": raw})
        return division

    def clean_place_code(self):
        raw = self.cleaned_data["place_code"].strip()
        if not raw:
            return None
        places = PlaceName.objects.for_user(self.user).standard()
        place = places.filter(code=raw).first() or (places.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None)
        if place is None:
            raise forms.ValidationError(_("辖区内没有代码或编号为 %(code)s 的标准地名") % {"code": raw})
        return place


class ReportsForm(SiteFormMixin, forms.ModelForm):
    class Meta:
        model = NamingApplication
        fields = ["overall_assessment", "expert_assessment", "consultation_report", "risk_assessment", "homophone_reason"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in fields}


class ConsultationForm(SiteFormMixin, forms.Form):
    start = forms.DateField(label=_("征求意见开始日期"), initial=timezone.localdate, widget=_DATE)
    days = forms.IntegerField(label=_("期限（天）"), min_value=1, max_value=365, initial=default_consultation_days)


class DecisionForm(SiteFormMixin, forms.Form):
    approving_body = forms.CharField(label=_("批准机关"), max_length=200, required=False,
                                     help_text=_("留空则按地名类型取默认批准机关"))
    decision_date = forms.DateField(label=_("批准日期"), initial=timezone.localdate,
                                    widget=_DATE)
    note = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(SiteFormMixin, forms.Form):
    note = forms.CharField(label=_("不予批准理由"), widget=forms.Textarea(attrs={"rows": 2}))


class DateForm(SiteFormMixin, forms.Form):
    date = forms.DateField(label=_("日期"), initial=timezone.localdate, widget=_DATE)


class AnnouncementForm(forms.Form):
    """Announcement (公告): its date and number (第十四条)."""

    date = forms.DateField(label=_("公告日期"), initial=timezone.localdate, widget=_DATE)
    number = forms.CharField(label=_("公告文号"), max_length=100, help_text=_("如“清民地公告〔2026〕3号”"))


class ReadingForm(forms.Form):
    """An officer's confirmation or correction of a name's reading (地名读音核定)."""

    romanization = forms.CharField(label=_("核定的罗马字母拼写"), max_length=200, help_text=_("标声调，如 Lù'ān Shì"))
    reason = forms.CharField(label=_("核定依据"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("如当地读音调查记录、省级审音文件文号"))
