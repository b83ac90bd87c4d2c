"""The shipped resources (fonts, rules, icons, licences, demo data), installed as clspd_desktop.resources.

The folder stays at the top of the repository; pyproject.toml maps it into the package so wheels, editable
installs and the frozen bundle find it through importlib.resources (see clspd_desktop/paths.py).
"""
