import pytest

from novalite import conf as nl_conf
from novalite import context
from novalite.db import database, migration
from novalite.identity import bootstrap
from novalite.identity.api import IdentityAPI


def make_conf(state_dir, **identity):
    conf = nl_conf.new_conf()
    conf.set_override("state_path", str(state_dir))
    conf.set_override("password_hash_rounds", 10, group="identity")
    for name, value in identity.items():
        conf.set_override(name, value, group="identity")
    return conf


@pytest.fixture
def conf(tmp_path):
    return make_conf(tmp_path)


@pytest.fixture
def db(conf):
    d = database.from_conf(conf)
    migration.upgrade(d)
    yield d
    d.dispose()


@pytest.fixture
def identity(conf, db):
    api = IdentityAPI(conf, db)
    bootstrap.bootstrap(api, conf, admin_password="admin-pw", demo_password="demo-pw")
    return api


@pytest.fixture
def admin_ctxt():
    return context.get_admin_context()
