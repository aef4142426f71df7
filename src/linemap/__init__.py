"""linemap: multi-agency County Lines mapping and safeguarding."""

__version__ = "0.1.0"
