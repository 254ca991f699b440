"""Synthetic citizen promises at national scale (`manage.py generate_national_data`).

samples.py holds what the data is made of (markers, shares, themes, templates, names, texts);
generator.py builds it with the factories, in steps (promise_steps.py, followup_steps.py), and
saves it in bulk; removal.py deletes it again.
"""
