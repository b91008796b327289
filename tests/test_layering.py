"""The layering rules of DESIGN.md, enforced: only api/ knows HTTP, so api/ and virt/ never
reach the database directly, and client code never imports the server."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent / "novalite"

RULES = {
    # package: modules it must not import
    "api": ("novalite.db",),
    "virt": ("novalite.db", "novalite.api"),
    "client": ("novalite.api", "novalite.compute", "novalite.conductor", "novalite.scheduler",
               "novalite.db", "novalite.virt", "novalite.image", "novalite.identity"),
}
# The network service is its own: compute reaches it only through its HTTP API and events,
# as Nova reaches Neutron, and it knows nothing of compute.
_COMPUTE_SIDE = ("novalite.compute", "novalite.conductor", "novalite.scheduler",
                 "novalite.virt", "novalite.network", "novalite.console", "novalite.image",
                 "novalite.db")
for package in ("compute", "conductor", "scheduler", "virt", "network", "console", "image",
                "db", "api", "objects", "identity"):
    RULES[package] = tuple(RULES.get(package, ())) + ("novalite.networking",)
RULES["networking"] = _COMPUTE_SIDE
# Lower layers never import the HTTP layer.
for lower in ("compute", "conductor", "scheduler", "db", "objects", "network", "image",
              "identity", "virt", "console"):
    RULES.setdefault(lower, ())
    RULES[lower] = tuple(RULES[lower]) + ("novalite.api",)


def _imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            for alias in node.names:  # `from novalite import db`
                yield "%s.%s" % (node.module, alias.name)


def _cases():
    for package, forbidden in RULES.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            if package == "networking" and "api" not in path.relative_to(ROOT).parts[1:2]:
                # networking's domain is below its HTTP layer, as the cloud's is
                forbidden = _COMPUTE_SIDE + ("novalite.api", "novalite.networking.api")
            elif package == "networking":
                forbidden = _COMPUTE_SIDE
            yield pytest.param(path, forbidden, id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize("path,forbidden", list(_cases()))
def test_module_respects_the_layers(path, forbidden):
    bad = sorted({name for name in _imports(path)
                  if any(name == f or name.startswith(f + ".") for f in forbidden)})
    assert not bad, "%s imports %s" % (path.relative_to(ROOT), ", ".join(bad))
