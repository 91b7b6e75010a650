"""Timelines drawn from ``data/events.csv``: the directives, the Plotly figure and its static images."""
