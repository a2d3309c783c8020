"""What a working copy of the project needs, for tests and benchmarks that
run the organizer's commands in a private copy."""

PROJECT_FILES = [
    "content",
    "theme",
    "plugins",
    "pelicanconf.py",
    "event.toml",
    "publishconf.py",
    "tasks.py",
    "organizer",
]
