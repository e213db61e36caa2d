"""The anonymised export for researchers, as CSV and XLSX."""


def export_csv(request):
    raise NotImplementedError


def export_xlsx(request):
    raise NotImplementedError
