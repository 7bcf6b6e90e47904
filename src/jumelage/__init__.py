"""jumelage: the nightly matching pipeline of a mentoring program."""

__version__ = "0.1.0"
