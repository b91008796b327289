"""Which credentials a compute host's image client uses."""

from keystoneauth1 import token_endpoint
from keystoneauth1.identity import v3

from novalite import conf as nl_conf
from novalite import service_auth
from novalite.image import client


def _conf(**overrides):
    conf = nl_conf.new_conf()
    for key, value in overrides.items():
        group, _, name = key.rpartition(".")
        conf.set_override(name, value, group=group or None)
    return conf


def test_noauth2_uses_an_admin_token_of_the_service_project():
    conf = _conf(**{"api.auth_strategy": "noauth2", "image.port": 9999})
    auth = client.session_from_conf(conf, "ignored").auth
    assert isinstance(auth, token_endpoint.Token)
    assert auth.get_token(None) == service_auth.NOAUTH2_SERVICE_TOKEN == "admin:service"
    assert client.image_url(conf) == "http://127.0.0.1:9999"


def test_all_in_one_passes_the_service_password_in_process():
    conf = _conf(**{"identity.port": 5555, "identity.listen": "0.0.0.0"})
    auth = client.session_from_conf(conf, "in-process-pw").auth
    assert isinstance(auth, v3.Password)
    assert auth.auth_url == "http://127.0.0.1:5555/v3"
    (method,) = auth.auth_methods
    assert method.username == "novalite" and method.password == "in-process-pw"
    assert auth.project_name == "service"


def test_separate_processes_read_service_user_options():
    conf = _conf(**{"service_user.auth_url": "http://keystone:5000/v3",
                    "service_user.password": "conf-pw",
                    "image_cache.image_api_url": "http://glance:9292/"})
    auth = client.session_from_conf(conf).auth
    assert auth.auth_url == "http://keystone:5000/v3"
    assert auth.auth_methods[0].password == "conf-pw"
    assert client.image_url(conf) == "http://glance:9292"
    # Not configured: no credentials (every download then fails with the API's 401).
    assert client.session_from_conf(_conf()).auth is None


def test_the_password_option_is_secret():
    conf = _conf()
    assert conf._get_opt_info("password", "service_user")["opt"].secret
