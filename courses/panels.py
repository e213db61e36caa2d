from wagtail.admin.panels import FieldPanel


class NamedRichTextPanel(FieldPanel):
    """A page's rich text field whose editor screen readers name by the field's label:
    Wagtail's Draftail editor is not tied to the label shown above it, so axe-core finds it
    nameless (the blocks do the same in ``LabelledRichTextBlock``)."""

    def get_form_options(self):
        from wagtail.admin.rich_text import get_rich_text_editor_widget  # needs the apps ready

        options = super().get_form_options()
        field = self.model._meta.get_field(self.field_name)
        widget = get_rich_text_editor_widget(field.editor, features=field.features)
        widget.options["ariaLabel"] = str(self.heading or field.verbose_name).capitalize()
        options.setdefault("widgets", {})[self.field_name] = widget
        return options
