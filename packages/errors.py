from kernel.errors import DomainError


class PackageError(DomainError):
    """A curriculum package that cannot be read, or cannot be imported as it is."""
