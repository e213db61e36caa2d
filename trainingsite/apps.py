from django.apps import AppConfig


class TrainingSiteConfig(AppConfig):
    name = "trainingsite"
    verbose_name = "Training site"
