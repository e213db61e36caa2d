from django import forms

from courses.models import ProgrammePage


class ExportForm(forms.Form):
    programmes = forms.ModelMultipleChoiceField(
        queryset=ProgrammePage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Their published sessions go in, with every book chapter and questionnaire.",
    )
    name = forms.CharField(max_length=120, initial="Peer support curriculum")
    version = forms.RegexField(
        max_length=60,
        regex=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        help_text="For example 2027.1. Letters, numbers, dots and dashes.",
        error_messages={"invalid": "Use only letters, numbers, dots and dashes, e.g. 2027.1."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = ProgrammePage.objects.live().order_by("path")


class ImportForm(forms.Form):
    package = forms.FileField(
        label="Package file", help_text="A .zip file exported from this or another install."
    )


class ApplyForm(forms.Form):
    upload = forms.UUIDField(widget=forms.HiddenInput)
    publish = forms.BooleanField(
        required=False,
        label="Publish at once, without review",
        help_text="Only administrators may. Otherwise each change is sent to Curriculum review.",
    )
