"""``planner serve``: the web app (``planner.web``) on this machine, for a laptop and a phone.
Starlette, Jinja2 and uvicorn are imported only when it runs."""

from __future__ import annotations

import secrets
from pathlib import Path

import click

from planner.cli import InputError
from planner.cli.log import db_option, open_logbook
from planner.logbook import default_path


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; any but this machine's (loopback) needs the "
    "token printed at start-up.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on.",
)
@db_option
def serve_command(host, port, db_path):
    """Serve the planner as a web page: the screening, the profile, the plan week by week
    with its charts and downloads, today's session as a checklist for a phone (hold timer,
    done, RPE and pain saved to the log), swapping an exercise and the next weeks from the
    log. Ctrl-C stops it.

    \b
    Example:
      planner serve
      planner serve --host 0.0.0.0 --port 8080 --db ~/planner.db
    """
    try:
        import uvicorn

        from planner.web import Site, create_app
        from planner.web.app import loopback
    except ModuleNotFoundError as err:
        raise InputError(
            f"planner serve needs the web extra ({err.name} is missing); install it with "
            'pip install "planner[serve]"'
        ) from None
    db = Path(db_path) if db_path is not None else default_path()
    open_logbook(db).close()  # a file that cannot be a logbook stops here, naming --db
    token = None if loopback(host) else secrets.token_urlsafe(24)
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    click.echo(f"Serving the planner at {where}{f'?token={token}' if token else ''}")
    click.echo(f"Logbook: {db}. Ctrl-C stops it.")
    uvicorn.run(create_app(Site(db, token)), host=host, port=port, log_level="warning")
