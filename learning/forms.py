from django import forms

from cohorts.forms import date_field


class ConfirmForm(forms.Form):
    talked_on = date_field(
        "Date you talked it through", "Give the date you talked the session through."
    )
