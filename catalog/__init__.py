"""The files that ship with the planner, installed as the package ``planner.shipped``.

pyproject.toml maps that package to this folder, so the one copy in the repository is read in
an editable install and packed into the wheel alike; ``planner.catalog.shipped_path`` finds
each file through ``importlib.resources``. This file only makes the folder a package: the
editable install finds a package whose folder lies outside ``planner/`` by its ``__init__.py``.
"""
