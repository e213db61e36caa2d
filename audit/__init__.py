"""The append-only audit log: sign-ins, refusals, downloads and erasures, who, when and what,
never the content. It may import only ``kernel``."""
