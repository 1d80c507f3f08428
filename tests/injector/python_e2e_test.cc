// CPython placeholder, filled in with the scenario.
