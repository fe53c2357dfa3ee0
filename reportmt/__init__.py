"""reportmt: German and French reports into a glossary-normalized English parallel corpus."""

__version__ = "0.1.0"
