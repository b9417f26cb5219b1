"""The use cases: each command as a function from a request object to a result object.

No click and no printing here: the CLI parses options into a request, calls one workflow with
a `Runtime`, renders the result and maps the exit code.
"""
