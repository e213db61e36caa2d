from pdf.errors import PrintingError

__all__ = ["PrintingError"]
