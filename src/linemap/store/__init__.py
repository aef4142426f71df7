"""SQLAlchemy Core tables, repositories, unit of work and Alembic migrations."""
