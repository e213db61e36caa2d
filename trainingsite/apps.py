from django.apps import AppConfig


class TrainingSiteConfig(AppConfig):
    name = "trainingsite"
    verbose_name = "Training site"

    def ready(self):
        from django.urls import register_converter

        from .converters import IdConverter

        register_converter(IdConverter, "id")
