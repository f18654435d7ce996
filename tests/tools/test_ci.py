"""Static checks of the CI pipelines (.gitlab-ci.yml, .github/workflows/*.yml).

Both run the same make targets; deploy credentials are reachable only from jobs that run
for the main branch, never for merge/pull requests; no ``pull_request_target``. A fork's
merge request that changes anything outside data/ waits for a maintainer (GitLab's
``rules: changes`` globs are checked with an emulation of Ruby's ``File.fnmatch``).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

GITLAB = ROOT / ".gitlab-ci.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
MAKE_TARGET = re.compile(r"\bmake (\w[\w-]*)")
SECRET_NAMES = ("KB_DEPLOY_SSH_KEY", "KB_DEPLOY_KNOWN_HOSTS")
GATE = "fork-code-review"


def load(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([\w-]+):", text, re.M))


def gitlab_jobs() -> dict[str, dict]:
    data = load(GITLAB)
    return {k: v for k, v in data.items() if isinstance(v, dict) and ("script" in v or
                                                                       "extends" in v)}


def gitlab_text(job: dict) -> str:
    """The job with what it extends (one level, as used here)."""
    data = load(GITLAB)
    parent = data.get(job.get("extends", ""), {}) if isinstance(job.get("extends"), str) else {}
    return yaml.safe_dump({**parent, **job}, allow_unicode=True)


def github_on(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    return on if isinstance(on, dict) else {name: None for name in ([on] if on else [])}


def code(text: str) -> str:
    """The text without YAML/shell comments (they may name what must not be used)."""
    return re.sub(r"(^|\s)#.*$", "", text, flags=re.M)


def make_targets(text: str) -> set[str]:
    text = code(text)
    return set(MAKE_TARGET.findall(text)) | ({"test"} if ".ci/run" in text else set())


def test_pipelines_exist():
    assert GITLAB.is_file()
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "rollback.yml"]


def test_same_make_targets_in_both_pipelines():
    gitlab = make_targets(GITLAB.read_text(encoding="utf-8"))
    github = set().union(*(make_targets(p.read_text(encoding="utf-8")) for p in WORKFLOWS))
    assert gitlab == github == {"validate", "build", "test", "publish"}
    assert gitlab <= makefile_targets()
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_validate_cli_knows_the_annotation_formats():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "github" in result.stdout and "gitlab" in result.stdout and "--output" in result.stdout


# --------------------------------------------------------------------------- GitHub


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_github_never_runs_pull_request_target(path):
    assert "pull_request_target" not in code(path.read_text(encoding="utf-8"))
    assert "workflow_run" not in github_on(load(path))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_github_token_is_read_only_and_not_persisted(path):
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert "permissions" not in job or job["permissions"] == {"contents": "read"}
        for step in job["steps"]:
            if str(step.get("uses", "")).startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_github_secrets_only_in_main_branch_production_jobs(path):
    workflow = load(path)
    for name, job in workflow["jobs"].items():
        text = yaml.safe_dump(job, allow_unicode=True)
        if "secrets." not in text:
            continue
        assert job["environment"]["name"] == "production", name
        condition = job["if"]
        assert "github.ref == 'refs/heads/main'" in condition, name
        assert "vars.KB_DEPLOY == 'true'" in condition, name
        assert "pull_request" not in condition, name
        if "pull_request" in github_on(workflow):
            assert "github.event_name == 'push'" in condition, name
        assert job["concurrency"] == {"group": "production", "cancel-in-progress": False}


def test_github_ci_runs_on_pull_requests_and_main():
    workflow = load(ROOT / ".github" / "workflows" / "ci.yml")
    on = github_on(workflow)
    assert "pull_request" in on and on["push"] == {"branches": ["main"]}
    jobs = workflow["jobs"]
    assert "--format github" in yaml.safe_dump(jobs["validate"])
    upload = [s for s in jobs["build"]["steps"] if "upload-artifact" in str(s.get("uses"))]
    assert upload and upload[0]["with"]["path"] == "site/"
    assert "SOURCE_DATE_EPOCH" in yaml.safe_dump(jobs["build"])
    assert set(jobs["deploy"]["needs"]) == {"validate", "build", "test"}


def test_github_rollback_is_manual_only():
    on = github_on(load(ROOT / ".github" / "workflows" / "rollback.yml"))
    assert set(on) == {"workflow_dispatch"}


# --------------------------------------------------------------------------- GitLab


def test_gitlab_merge_requests_validate_build_and_test():
    jobs = gitlab_jobs()
    validate = jobs["validate"]
    assert "--format gitlab --output gl-code-quality.json" in " ".join(validate["script"])
    assert validate["artifacts"]["reports"]["codequality"] == "gl-code-quality.json"
    assert validate["artifacts"]["when"] == "always"
    assert jobs["build"]["artifacts"]["paths"] == ["site/"]
    assert "SOURCE_DATE_EPOCH" in " ".join(jobs["build"]["script"])
    assert jobs["test"]["artifacts"]["reports"]["junit"] == "report.xml"
    for name in ("validate", "build", "test"):
        assert "rules" not in jobs[name], name  # they run in every pipeline


@pytest.mark.parametrize("name", ["deploy", "rollback", "pages"])
def test_gitlab_deploy_jobs_only_on_the_default_branch(name):
    job = gitlab_jobs()[name]
    first, *rest = job["rules"]
    assert first == {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"', "when": "never"}
    assert rest and all("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in r["if"] for r in rest)
    assert job.get("interruptible", load(GITLAB).get(job.get("extends"), {}).get(
        "interruptible")) is False


def test_gitlab_credentials_only_in_protected_production_jobs():
    jobs = gitlab_jobs()
    using = {name for name, job in jobs.items()
             if any(secret in gitlab_text(job) for secret in SECRET_NAMES)}
    assert using == {"deploy", "rollback"}
    for name in using:
        job = yaml.safe_load(gitlab_text(jobs[name]))
        assert job["environment"]["name"] == "production"
        assert job["resource_group"] == "production"
        assert all('$CI_COMMIT_REF_PROTECTED == "true"' in r["if"] for r in job["rules"][1:])
        # environment-scoped variables may be undefined when rules are evaluated
        assert all("KB_PUBLISH_TARGET" not in r["if"] for r in job["rules"][1:])
    assert jobs["rollback"]["rules"][-1]["when"] == "manual"


def test_gitlab_pages_job_publishes_the_built_site():
    pages = gitlab_jobs()["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert "cp -r site public" in " ".join(pages["script"])
    assert "build" in pages["needs"]


# --------------------------------------------------------------------------- fork merge requests


def gitlab_glob(glob: str, path: str) -> bool:
    """``File.fnmatch?(glob, path, FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB)``, as GitLab
    matches ``rules: changes``, for the subset used: ``*``, ``?``, ``[!…]``, ``**/``."""
    assert re.fullmatch(r"[\w.*?/\[\]!-]+", glob), glob  # nothing outside the subset
    regex, i = "", 0
    while i < len(glob):
        if glob.startswith("**/", i):
            regex, i = regex + "(?:[^/]*/)*", i + 3
            continue
        char = glob[i]
        if char == "[":
            end = glob.index("]", i)
            body = glob[i + 1:end]
            negated = body.startswith("!")
            regex += "[" + ("^/" if negated else "") + re.escape(body.removeprefix("!")) + "]"
            i = end + 1
            continue
        regex += {"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char))
        i += 1
    return re.fullmatch(regex, path) is not None


def gitlab_if(expression: str, variables: dict[str, str]) -> bool:
    """A rules ``if`` of the form used here: ``$A == "x" && $B != $C`` (undefined: null)."""
    clause = re.compile(r'\s*\$(\w+)\s*(==|!=)\s*(?:"([^"]*)"|\$(\w+))\s*')
    results = []
    for part in expression.split("&&"):
        match = clause.fullmatch(part)
        assert match, part
        left = variables.get(match[1])
        right = match[3] if match[3] is not None else variables.get(match[4])
        results.append((left == right) is (match[2] == "=="))
    return all(results)


def rule_when(rules: list[dict], variables: dict[str, str], changed: list[str]) -> str:
    """The ``when`` of a job's first matching rule (``changes`` with :func:`gitlab_glob`)."""
    for rule in rules:
        if "if" in rule and not gitlab_if(rule["if"], variables):
            continue
        paths = rule.get("changes", {}).get("paths")
        if paths is not None and not any(gitlab_glob(g, f) for g in paths for f in changed):
            continue
        return rule.get("when", "on_success")
    return "never"


def gate_when(variables: dict[str, str], changed: list[str]) -> str:
    """What GitLab makes of the gate job: the ``when`` of its first matching rule."""
    return rule_when(gitlab_jobs()[GATE]["rules"], variables, changed)


# Checked with Ruby 3.1's File.fnmatch? and the flags above: True = outside data/.
OUTSIDE_DATA = {
    "data/reports/2024-zt/unit-a.yml": False, "data/units.yml": False,
    "data/schema/report.schema.json": False, "data/.hidden": False, "data/a/.b/c": False,
    "data/inbox/关于报送市林业局自查评估报告的函.docx": False, "data/inbox/邮件/a.wps": False,
    "scripts/publish.py": True, "hooks/kb/x.py": True, "tests/conftest.py": True,
    "Makefile": True, "requirements.txt": True, ".gitlab-ci.yml": True, ".ci/run": True,
    ".github/workflows/ci.yml": True, "docs/assets/kb.js": True, "a/b/c/d/e": True,
    "data": True, "data.yml": True, "database/x.yml": True, "data2/x": True,
    "datas/x/y": True, "d/x": True, "da/x": True, "dat/x": True, "dx/y": True,
    ".data/x": True, "Data/x": True,
}


@pytest.mark.parametrize(("path", "outside"), OUTSIDE_DATA.items())
def test_gitlab_gate_globs_are_every_path_outside_data(path, outside):
    paths = gitlab_jobs()[GATE]["rules"][0]["changes"]["paths"]
    assert any(gitlab_glob(glob, path) for glob in paths) is outside


FORK_MR = {"CI_PIPELINE_SOURCE": "merge_request_event", "CI_PROJECT_ID": "7",
           "CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "42"}
SAME_PROJECT_MR = {**FORK_MR, "CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "7"}
MAIN_PUSH = {"CI_PIPELINE_SOURCE": "push", "CI_PROJECT_ID": "7", "CI_COMMIT_BRANCH": "main"}


@pytest.mark.parametrize(("variables", "changed", "when"), [
    (FORK_MR, ["data/reports/2024-zt/unit-a.yml", "data/units.yml"], "never"),  # automatic
    (FORK_MR, ["data/inbox/报告.docx"], "never"),  # a web upload runs without a maintainer
    (FORK_MR, ["data/reports/2024-zt/unit-a.yml", "scripts/validate.py"], "manual"),
    (FORK_MR, [".gitlab-ci.yml"], "manual"),
    (FORK_MR, ["tests/conftest.py"], "manual"),
    (FORK_MR, ["requirements.txt"], "manual"),
    (SAME_PROJECT_MR, ["scripts/validate.py"], "never"),  # members' branches: trusted
    (MAIN_PUSH, ["scripts/validate.py"], "never"),
], ids=["fork-data", "fork-upload", "fork-code", "fork-pipeline", "fork-tests", "fork-deps", "member",
        "main"])
def test_gitlab_fork_code_changes_wait_for_a_maintainer(variables, changed, when):
    assert gate_when(variables, changed) == when


def test_gitlab_gate_blocks_the_checks_and_runs_nothing_of_the_merge_request():
    jobs = gitlab_jobs()
    gate = jobs[GATE]
    first = gate["rules"][0]
    assert first["when"] == "manual" and first["allow_failure"] is False  # blocked, not passed
    assert "compare_to" not in first["changes"]  # the merge request's own changes
    assert gate["stage"] == ".pre" and gate["variables"] == {"GIT_STRATEGY": "none"}
    assert gate["cache"] == [] and make_targets(gitlab_text(gate)) == set()
    assert not re.search(r"\b(make|python|sh|bash)\b|\.ci/|scripts/", " ".join(gate["script"]))
    for name in ("validate", "build", "test"):
        assert jobs[name]["needs"] == [{"job": GATE, "optional": True}], name


def test_gitlab_deploy_jobs_use_no_cache():
    for name in ("deploy", "rollback"):
        assert yaml.safe_load(gitlab_text(gitlab_jobs()[name]))["cache"] == [], name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_github_checks_out_no_pull_request_head(path):
    """``pull_request`` checks out the merge commit without secrets; nothing picks the
    head of a pull request (the pattern of privileged pull_request_target workflows)."""
    for job in load(path)["jobs"].values():
        for step in job["steps"]:
            text = yaml.safe_dump(step.get("with", {}))
            assert "github.event.pull_request" not in text and "head_ref" not in text, step


def test_merge_request_pipeline_safety_is_documented_in_chinese():
    doc = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    section = doc[doc.index("## 合并请求流水线的安全"):]
    section = section[:section.index("\n## ")]
    for needed in (GATE, "data/", "受保护", "pull_request_target", "预览产物", "审查",
                   "Require approval", "CI/CD 配置文件", ".gitlab-ci.yml", "单独的缓存"):
        assert needed in section, needed


# --------------------------------------------------------------------------- intake of uploads




@pytest.mark.parametrize(("variables", "changed", "when"), [
    (FORK_MR, ["data/inbox/报告.docx"], "on_success"),
    (SAME_PROJECT_MR, ["data/inbox/邮件附件/报告.wps"], "on_success"),
    (SAME_PROJECT_MR, ["data/inbox/README.md", "scripts/intake.py"], "on_success"),
    (SAME_PROJECT_MR, ["data/reports/2023-zhuti/shi-fgw.yml"], "never"),
    (SAME_PROJECT_MR, ["data/inbox.yml", "data/inboxes/a.docx"], "never"),
    (MAIN_PUSH, ["data/inbox/报告.docx"], "never"),  # merge requests only
], ids=["fork-upload", "upload-in-subfolder", "upload-and-code", "data-only", "similar-names", "main"])
def test_gitlab_intake_runs_when_a_merge_request_uploads_to_the_inbox(variables, changed, when):
    assert rule_when(gitlab_jobs()["intake"]["rules"], variables, changed) == when


def test_gitlab_intake_job_attaches_the_result_and_annotates():
    job = gitlab_jobs()["intake"]
    assert job["script"] == [".ci/intake gitlab"]
    assert job["needs"] == [{"job": GATE, "optional": True}]  # a fork's code change waits for review
    artifacts = job["artifacts"]
    assert artifacts["when"] == "always" and artifacts["paths"] == ["intake-result/"]
    assert artifacts["reports"]["codequality"] == ["gl-intake.json", "gl-intake-validate.json"]
    assert "KB_DEPLOY" not in gitlab_text(job) and "environment" not in job


# GitLab refuses the whole configuration when an ``artifacts:expose_as`` is not this (Ruby's
# ``\w`` is ASCII: a Chinese label makes every pipeline fail to start). lib/gitlab/ci/config/entry.
EXPOSE_AS = re.compile(r"\A\w[-\w ]*\Z", re.ASCII)


@pytest.mark.parametrize("name", sorted(n for n, job in gitlab_jobs().items() if "expose_as" in job.get("artifacts", {})))
def test_gitlab_expose_as_labels_are_ones_gitlab_accepts(name):
    artifacts = gitlab_jobs()[name]["artifacts"]
    assert EXPOSE_AS.match(artifacts["expose_as"]), artifacts["expose_as"]
    assert all(p.endswith("/") or "." in p.rsplit("/", 1)[-1] for p in artifacts["paths"])  # a folder needs its "/"


def test_github_intake_job_runs_for_pull_requests_that_upload():
    jobs = load(ROOT / ".github" / "workflows" / "ci.yml")["jobs"]
    job = jobs["intake"]
    assert job["if"] == "github.event_name == 'pull_request'" and "environment" not in job
    checkout, check, take, upload = job["steps"]
    assert checkout["with"] == {"persist-credentials": False, "fetch-depth": 2}
    assert "git diff --name-only HEAD^1 HEAD -- data/inbox" in check["run"] and check["id"] == "inbox"
    assert take["run"] == ".ci/intake github"
    assert take["if"] == "steps.inbox.outputs.changed == 'true'"
    assert upload["uses"] == "actions/upload-artifact@v4" and upload["with"]["path"] == "intake-result/"
    assert upload["if"].startswith("always()")


@pytest.mark.parametrize("fmt", ["gitlab", "github"])
def test_ci_intake_script_installs_the_converters_and_validates(fmt):
    script = code((ROOT / ".ci" / "intake").read_text(encoding="utf-8"))
    assert "libreoffice-writer-nogui" in script and "poppler-utils" in script
    assert "make intake DIR=data/inbox" in script and "--copy-to intake-result" in script
    assert "make validate" in script and f"--format {fmt}" in script
    assert "git push" not in script and "git commit" not in script
