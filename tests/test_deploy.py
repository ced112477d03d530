"""The production shape (docker-compose.yml, deploy/): two Odoo nodes from
one image on one data_dir volume, nginx in front with the longpolling route,
and the production profile's settings."""
import configparser
import os
import re
import shutil
import subprocess

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.path.join(ROOT, "deploy")


def _prod_conf():
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",))
    parser.read(os.path.join(DEPLOY, "odoo.prod.conf"))
    return parser


@pytest.fixture(scope="module")
def compose():
    if not shutil.which("docker-compose"):
        pytest.skip("Debian docker-compose is installed by scripts/setup.sh")
    result = subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"), "config"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    assert result.returncode == 0, result.stdout.decode()
    return yaml.safe_load(result.stdout.decode())


def _mounts(service):
    """{target: source} of a service's volumes as docker-compose config prints them."""
    mounts = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            mounts[volume["target"]] = volume["source"]
        else:
            parts = volume.split(":")
            mounts[parts[1]] = parts[0]
    return mounts


def test_two_odoo_nodes_from_one_image_on_one_volume(compose):
    services = compose["services"]
    assert {"db", "odoo", "odoo2", "nginx", "onec"} <= set(services)
    first, second = services["odoo"], services["odoo2"]
    assert first["build"] == second["build"] and first["image"] == second["image"]
    data_dir = _prod_conf().get("options", "data_dir")
    # The filestore and the sessions: one named volume on both nodes.
    assert _mounts(first)[data_dir] == _mounts(second)[data_dir] == "odoo-data"
    assert "odoo-data" in compose["volumes"]
    for node in (first, second):
        assert _mounts(node)["/etc/odoo/odoo.conf"].endswith("deploy/odoo.prod.conf")
        assert "/etc/odoo/odoo.conf" in node["command"]
        # Only nginx is published: the nodes are reached through it.
        assert not node.get("ports")
    # One queue_job runner per database: the second node does not load it.
    assert "--load=base,web" in second["command"]
    assert not any(arg.startswith("--load") for arg in first["command"])
    assert _mounts(services["nginx"])["/etc/nginx/conf.d/default.conf"].endswith("deploy/nginx.conf")


def test_nginx_routes_longpolling_and_spreads_the_rest():
    with open(os.path.join(DEPLOY, "nginx.conf")) as handle:
        text = handle.read()
    upstreams = {name: re.findall(r"server\s+(\S+?)\s", body)
                 for name, body in re.findall(r"upstream\s+(\w+)\s*{([^}]*)}", text)}
    assert sorted(upstreams["odoo"]) == ["odoo2:8069", "odoo:8069"]
    assert sorted(upstreams["odoochat"]) == ["odoo2:8072", "odoo:8072"]
    locations = dict(re.findall(r"location\s+(/\S*)\s*{[^}]*?proxy_pass\s+http://(\w+);", text))
    assert locations == {"/longpolling": "odoochat", "/": "odoo"}
    # Nothing sticky: sessions are in the shared volume.
    directives = "\n".join(line.split("#")[0] for line in text.splitlines())
    for sticky in ("ip_hash", "sticky", "hash $"):
        assert sticky not in directives
    # A POST (JSON-RPC write) is never replayed on the other node.
    assert "non_idempotent" not in text


def test_production_profile():
    options = dict(_prod_conf().items("options"))
    assert int(options["workers"]) >= 2
    assert options["proxy_mode"] == "True" and options["list_db"] == "False"
    assert options["longpolling_port"] == "8072" and options["http_port"] == "8069"
    assert 0 < int(options["limit_memory_soft"]) < int(options["limit_memory_hard"])
    assert int(options["limit_time_cpu"]) <= int(options["limit_time_real"])
    assert options["dbfilter"] == "^%s$" % options["db_name"]
    assert "queue_job" in options["server_wide_modules"].split(",")
    assert options["logfile"].startswith("/var/log/odoo/")
    assert _prod_conf().get("queue_job", "channels").startswith("root:")
    with open(os.path.join(DEPLOY, "logrotate.conf")) as handle:
        assert "copytruncate" in handle.read()
