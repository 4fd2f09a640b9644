"""Long jobs on a task queue (Celery on Redis) with the job row in PostgreSQL."""
