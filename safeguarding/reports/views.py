from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.views.generic import TemplateView

from safeguarding.accounts.access import ServiceView
from safeguarding.accounts.roles import EXPORT_DATA, VIEW_REPORTS
from safeguarding.exports import XLSX_MAX_ROWS
from safeguarding.files import services as files
from safeguarding.web import ServiceFormView

from . import downloads, figures, pack
from .charts import bar_chart
from .forms import ExportForm, PeriodForm, year_choices


def charted(groups):
    """Each figure with its result and, where it has one, its chart (an accessible SVG)."""
    shown = []
    for title, members in groups:
        rows = []
        for figure, result in members:
            chart = None
            if result.chart_column is not None and result.rows:
                chart = bar_chart(
                    key=figure.key,
                    title=figure.title,
                    labels=[row[0] for row in result.rows],
                    values=[row[result.chart_column] for row in result.rows],
                )
            rows.append((figure, result, chart))
        shown.append((title, rows))
    return shown


class DashboardView(ServiceView, TemplateView):
    """The partnership's figures for a period: each with its definition, a chart drawn on the
    server and its data as a table."""

    permission_required = VIEW_REPORTS
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        form = PeriodForm(self.request.GET or None)
        period = form.period()
        return super().get_context_data(
            form=form,
            period=period,
            groups=charted(figures.grouped(period)),
            can_export=self.request.user.has_perm(EXPORT_DATA),
            **kwargs,
        )


class PackForm(django_forms.Form):
    year = django_forms.ChoiceField(
        label="Reporting year (April to March)",
        error_messages={
            "required": "Choose a reporting year",
            "invalid_choice": "Choose a reporting year from the list",
        },
    )
    format = django_forms.ChoiceField(
        label="Format",
        choices=[("pdf", "PDF, to read and share"), ("xlsx", "XLSX (Excel), one sheet per table")],
        widget=django_forms.RadioSelect,
        error_messages={
            "required": "Choose PDF or XLSX",
            "invalid_choice": "Choose PDF or XLSX",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()


class YearlyPackView(ServiceFormView):
    """Ask for the yearly report pack, made in the background."""

    permission_required = VIEW_REPORTS
    template_name = "reports/pack_form.html"
    form_class = PackForm

    def perform(self, form):
        return files.request_file(
            user=self.request.user,
            kind=pack.YEARLY_PACK,
            params={"year": int(form.cleaned_data["year"]), "format": form.cleaned_data["format"]},
        )

    def get_success_url(self):
        return reverse("files:status", kwargs={"pk": self.result.pk})


class ExportListView(ServiceView, TemplateView):
    permission_required = EXPORT_DATA
    template_name = "reports/exports.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(exports=downloads.all_exports(), **kwargs)


class ExportView(ServiceFormView):
    """Ask for one list, for a period, as CSV or XLSX, made in the background."""

    permission_required = EXPORT_DATA
    template_name = "reports/export_form.html"
    form_class = ExportForm

    def get_export(self):
        return downloads.export_named(self.kwargs["key"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(export=self.get_export(), **kwargs)

    def perform(self, form):
        export = self.get_export()
        period = form.period()
        rows = export.count(period)
        if rows == 0:
            raise ValidationError(
                f"There is nothing to export for {period.label}: choose another period"
            )
        if form.cleaned_data["format"] == "xlsx" and rows > XLSX_MAX_ROWS:
            raise ValidationError(
                f"{rows:,} rows is too many for one spreadsheet (at most {XLSX_MAX_ROWS:,}): "
                "choose a shorter period or CSV"
            )
        return files.request_file(
            user=self.request.user,
            kind=downloads.LIST_EXPORT,
            params={
                "export": export.key,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "format": form.cleaned_data["format"],
            },
        )

    def get_success_url(self):
        return reverse("files:status", kwargs={"pk": self.result.pk})
