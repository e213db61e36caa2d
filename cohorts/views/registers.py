"""The register of a delivery: taken on screen, printed on paper, keyed in afterwards."""


def register(request, pk):
    raise NotImplementedError


def paper_register(request, pk):
    raise NotImplementedError
