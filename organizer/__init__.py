"""The organizer's commands that are not a Pelican plugin: what `make serve` and
the invoke tasks in tasks.py run.

    project.py       where things are (content/, output/, the settings) and reading the settings
    problems.py      an error in the organizer's files as one line
    site_output.py   the safe swap: a build replaces output/ only when it succeeded
    building.py      a staged build and the lines it ends with
    devserver/       make serve: builds in-process, watches files, serves with live reload
    serving.py       the serving tasks (livereload, serve, regenerate, demo) and their one-line errors
    publishing.py    the public build (preview), rsync_upload.py and github_pages.py
    printing.py      the case-sheet pack and the flyer
    counting.py      invoke tally and invoke report
"""
