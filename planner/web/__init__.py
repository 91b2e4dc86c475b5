"""``planner serve``: the library as a small local web app for a laptop and a phone beside the
mat (Starlette routes, Jinja2 templates, served by uvicorn; no JavaScript build, nothing
fetched from elsewhere: the CSS and the little script ship in ``static/``).

The pages are as thin as the commands: ``app`` (the routes and their checks), ``jobs`` (solves
off the request thread, one per plan's inputs). Imported only by ``planner serve``."""

from planner.web.app import Site, create_app

__all__ = ["Site", "create_app"]
