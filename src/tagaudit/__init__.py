"""tagaudit: lint helpdesk tag taxonomies and audit ticket exports against them."""

__version__ = "0.1.0"
