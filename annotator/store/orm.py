"""SQLAlchemy ORM rows; they never leave annotator/store/."""
