"""The Django project: settings, URLs, WSGI, the sign-in and health-check views, site-wide
middleware, templates and static files, and ``load_demo``, which fills an empty site with every
app's demo data. Nothing of the domain lives here. It is the top layer: it may import any app
(see ``.importlinter``); no app imports it."""
