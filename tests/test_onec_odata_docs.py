"""Section 11 of docs/1c-integration.md (the standard OData interface, for a
1C administrator) against the repository's stand-in (onec/odata.py):

* every curl request of the doc is shown twice, readable and percent-encoded,
  and the two are the same URL;
* run as written (the address and the login pointed at the stand-in), each
  answers 200 with a non-empty ``value`` array;
* the sample answers (onec/kit/odata/*.json) are what the stand-in answers to
  those requests, but for the opaque DataVersion;
* the requests, onec/kit/odata/check.sh and СоставOData.bsl name exactly the
  objects the OData adapter reads (onec_odata_mapping.needed_objects);
* check.sh, run against the stand-in, passes a complete publication and names
  an unpublished object.
"""
import importlib.util
import json
import os
import re
import subprocess
from urllib.parse import unquote

import pytest
import requests

from test_onec_kit import read, standin_data

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "1c-integration.md")
KIT = os.path.join(ROOT, "onec", "kit", "odata")
CHECK = os.path.join(KIT, "check.sh")
BSL = os.path.join(KIT, "СоставOData.bsl")
MAPPING = os.path.join(ROOT, "addons", "receivables", "services", "onec_odata_mapping.py")

DOC_PUBLICATION = "https://srv-1c-buh.tehnosnab.local/buh"
DOC_BASE = DOC_PUBLICATION + "/odata/standard.odata/"
DOC_LOGIN = "crm_exchange:secret"
STANDIN_LOGIN = "Обмен:secret"

# What the adapter reads per configuration (the doc's 11.1 / 11.6); compared
# with onec_odata_mapping.needed_objects when that module is there.
NEEDED = {
    "bp30": ["Document_ПоступлениеНаРасчетныйСчет", "Document_ПриходныйКассовыйОрдер", "Catalog_Контрагенты",
             "Catalog_ДоговорыКонтрагентов", "Catalog_Валюты", "ChartOfAccounts_Хозрасчетный",
             "AccountingRegister_Хозрасчетный"],
    "ut11": ["Document_ПоступлениеБезналичныхДенежныхСредств", "Document_ПриходныйКассовыйОрдер",
             "Catalog_Контрагенты", "Catalog_ДоговорыКонтрагентов", "Catalog_Валюты",
             "AccumulationRegister_РасчетыСКлиентами"],
}
METADATA_PREFIX = {"Документы": "Document_", "Справочники": "Catalog_", "ПланыСчетов": "ChartOfAccounts_",
                   "РегистрыБухгалтерии": "AccountingRegister_", "РегистрыНакопления": "AccumulationRegister_"}


def section():
    doc = read(DOC)
    start = doc.index("## 11. ")
    end = doc.find("\n## ", start + 1)
    return doc[start:] if end < 0 else doc[start:end]


def doc_requests():
    """[(readable URL, curl command)]: each ```sh block of section 11 that
    calls standard.odata, with the ```text block just before it."""
    found = re.findall(r"```text\n([^\n]*)\n```\s*```sh\n(curl [^\n]*standard\.odata[^\n]*)\n```", section())
    assert found, "section 11 has no curl requests"
    return found


def command_url(command):
    urls = re.findall(r"'(https?://[^']*)'", command)
    assert len(urls) == 1, command
    return urls[0]


def entity_of(url):
    path = unquote(url)[len(DOC_BASE):].split("?")[0]
    return path.split("/")[0].split("(")[0]


def configuration_of(entity):
    return "bp30" if not entity or entity in NEEDED["bp30"] else "ut11"


def load_mapping():
    if not os.path.exists(MAPPING):
        return None
    spec = importlib.util.spec_from_file_location("onec_odata_mapping_for_docs", MAPPING)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def loaded_stand_in(stand_in):
    answer = requests.post(stand_in + "/__control__", timeout=10,
                           data=json.dumps(dict(standin_data(), reset=True)).encode("utf-8"))
    answer.raise_for_status()
    return stand_in


def configure(stand_in, **values):
    answer = requests.post(stand_in + "/__control__", data=json.dumps(values).encode("utf-8"), timeout=10)
    answer.raise_for_status()


def run_curl(stand_in, command):
    command = command.replace(DOC_PUBLICATION, stand_in + "/buh").replace(DOC_LOGIN, STANDIN_LOGIN)
    result = subprocess.run(["bash", "-c", command + " -w '\\n%{http_code}'"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=30)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    body, _newline, status = result.stdout.rpartition(b"\n")
    return int(status), body


def without_versions(value):
    if isinstance(value, dict):
        return {key: without_versions(item) for key, item in value.items() if key != "DataVersion"}
    if isinstance(value, list):
        return [without_versions(item) for item in value]
    return value


# -- the doc's requests ----------------------------------------------------------

def test_each_request_is_shown_readable_and_encoded():
    for readable, command in doc_requests():
        url = command_url(command)
        assert readable.startswith(DOC_BASE), readable
        assert "-u '%s'" % DOC_LOGIN in command
        # What curl sends: ASCII only, no space or quote left to the shell or the server.
        assert all(32 < ord(char) < 127 for char in url) and "'" not in url, url
        assert unquote(url) == readable, (url, readable)


def test_the_requests_cover_every_object_the_adapter_reads():
    entities = {entity_of(command_url(command)) for _readable, command in doc_requests()}
    for configuration, names in NEEDED.items():
        missing = [name for name in names if name not in entities]
        assert not missing, "%s: no request for %s" % (configuration, missing)


def test_the_objects_are_those_of_the_adapter_mapping():
    mapping = load_mapping()
    if mapping is None:
        pytest.skip("onec_odata_mapping.py is not there")
    for configuration, names in NEEDED.items():
        assert sorted(mapping.needed_objects(mapping.configuration(configuration))) == sorted(names), configuration


def test_doc_curl_requests_answer_value_arrays(loaded_stand_in):
    try:
        for readable, command in doc_requests():
            configure(loaded_stand_in, configuration=configuration_of(entity_of(command_url(command))))
            status, body = run_curl(loaded_stand_in, command)
            assert status == 200, (readable, body[:500])
            answer = json.loads(body.decode("utf-8"))
            assert isinstance(answer.get("value"), list) and answer["value"], (readable, answer)
            assert answer.get("odata.metadata", "").startswith(loaded_stand_in + "/buh/odata/standard.odata/")
    finally:
        configure(loaded_stand_in, configuration="bp30")


def test_sample_answers_are_the_stand_ins(loaded_stand_in):
    samples = re.findall(r"<!-- file: (onec/kit/odata/\S+\.json) -->", section())
    assert sorted(os.path.basename(path) for path in samples) == sorted(
        name for name in os.listdir(KIT) if name.endswith(".json"))
    answers = {}
    for _readable, command in doc_requests():
        status, body = run_curl(loaded_stand_in, command)
        if status == 200:
            answer = json.loads(body.decode("utf-8"))
            answers[answer["odata.metadata"].rpartition("#")[2]] = answer
    for path in samples:
        with open(os.path.join(ROOT, path), encoding="utf-8") as source:
            sample = json.load(source)
        name = sample["odata.metadata"].rpartition("#")[2]
        assert sample["odata.metadata"] == DOC_BASE + "$metadata#" + name
        assert name in answers, "no request of the doc answers %s" % path
        got = dict(answers[name], **{"odata.metadata": sample["odata.metadata"]})
        assert without_versions(got) == without_versions(sample), path


# -- the kit -----------------------------------------------------------------------

def test_doc_names_every_odata_kit_file():
    text = section()
    for name in sorted(os.listdir(KIT)):
        if not name.endswith(".json"):
            assert "onec/kit/odata/%s" % name in text, name


def test_check_script_names_the_adapters_objects():
    script = read(CHECK)
    for configuration, names in NEEDED.items():
        block = re.search(r"^ *%s(?:\|\w+)*\) OBJECTS=\"([^\"]*)\"" % configuration, script, re.M)
        assert block, configuration
        assert block.group(1).split() == names, configuration


def test_bsl_script_publishes_the_bp30_objects():
    names = []
    for collection, name in re.findall(r"Нужные\.Добавить\(Метаданные\.(\w+)\.(\w+)\)", read(BSL)):
        names.append(METADATA_PREFIX[collection] + name)
    assert sorted(names) == sorted(NEEDED["bp30"])
    assert "ПолучитьСоставСтандартногоИнтерфейсаOData()" in read(BSL)  # adds, does not replace


def run_check(stand_in, configuration="bp30"):
    environ = dict(os.environ, ODATA_PASSWORD="secret", LC_ALL="C.UTF-8")
    result = subprocess.run(["bash", CHECK, stand_in + "/buh", "Обмен", configuration], cwd=ROOT, env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    lines = {}
    for line in result.stdout.decode("utf-8").splitlines():
        status, name = line.split()[:2]
        name = name.rstrip(":")
        lines[name] = status
    return result.returncode, lines


def test_check_script_passes_a_complete_publication(loaded_stand_in):
    try:
        for configuration in ("bp30", "ut11"):
            configure(loaded_stand_in, configuration=configuration, unpublished=[])
            code, lines = run_check(loaded_stand_in, configuration)
            assert lines == {name: "200" for name in NEEDED[configuration]}, lines
            assert code == 0
    finally:
        configure(loaded_stand_in, configuration="bp30", unpublished=[])


def test_check_script_names_an_unpublished_object(loaded_stand_in):
    configure(loaded_stand_in, configuration="bp30", unpublished=["Document_ПриходныйКассовыйОрдер"])
    try:
        code, lines = run_check(loaded_stand_in)
        assert lines["Document_ПриходныйКассовыйОрдер"] == "403"
        assert lines["Document_ПоступлениеНаРасчетныйСчет"] == "200"
        assert code != 0
    finally:
        configure(loaded_stand_in, unpublished=[])
