"""The dev server behind `make serve`: one long-running process.

Pelican and our plugins are loaded once. The operating system tells us when a
file changes (inotify, through watchfiles); the site is rebuilt in this same
process into a new folder, swapped into output/ only when the build succeeded,
and every open tab reloads itself (server-sent events). While the last build
has failed, every page served carries a banner with its problems, and output/
keeps the last good site.

    builder.py         Builder: a site built in-process, staged and swapped in
    recounting.py      a saved tally: only the pages whose numbers changed written again
    rereading.py       an edited page's new text: only the page and what lists it written again
    speedups.py        what keeps a warm rebuild cheap (typogrify once, files written in place)
    remembered.py      pages remembered on disk between runs of `invoke build`
    watching.py        watch_and_build: rebuilds on file events, a burst of saves coalesced
    server.py          SiteServer: serves output/ (stdlib http.server)
    page_additions.py  the reload script and the problems box added to served HTML (never to output/)
    live.py            serve: the whole loop of `make serve`, and the summary line of a build

tasks.py (`invoke livereload`, `invoke build`, ...) is the way in.
"""
