from django.apps import AppConfig


class TrainerResourcesConfig(AppConfig):
    name = "trainer_resources"
