"""examgen: a job service that turns course-material PDFs into exams."""

__version__ = "0.2.0"
