"""Rendering CLI output: markup, consoles and tables.

A terminal gets a rich console (colours, a live progress bar). Any other stream (a pipe, a file,
CI logs) gets :class:`~headwater.cli.render.console.PlainConsole`, which writes the same text
without styles and never imports rich, so that a piped command does not pay for it.
"""
